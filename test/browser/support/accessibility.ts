// axe-core run inside a page: the accessibility rules (WCAG 2.x A and AA, and axe's best practices)
// checked against the page as it is rendered, with the findings that block users reported.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, read once (it defines `window.axe` when evaluated in a page). */
const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** The impacts that fail a page: users of assistive technology are blocked or badly hindered. */
const BLOCKING = new Set(['serious', 'critical']);

export interface Violation {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  /** CSS selectors of the first nodes found (enough to locate the problem). */
  readonly targets: string[];
}

interface AxeResult {
  violations: {
    id: string;
    impact: string | null;
    help: string;
    nodes: { target: unknown[] }[];
  }[];
}

/**
 * The serious and critical axe-core violations on the page as it is now. Evaluated through the
 * DevTools protocol, so the page's Content-Security-Policy (no inline scripts) does not block it.
 */
export async function blockingViolations(page: Page): Promise<Violation[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } })
      .axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return (result as AxeResult).violations
    .filter((v) => v.impact !== null && BLOCKING.has(v.impact))
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    }));
}

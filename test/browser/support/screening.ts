// Guided screening as the page exposes it (`window.tesseraScreening`, slides and maps alike): its
// plan and position, and the shading it draws over the navigator.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface ScreeningRect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface ScreeningWindow {
  tesseraScreening?: {
    session: {
      getSnapshot(): { progress: { fields: ScreeningRect[]; current: number } | null };
      settled(): Promise<unknown>;
    };
    navigator: {
      canvas: HTMLCanvasElement;
      navigatorPoint(x: number, y: number): { x: number; y: number } | null;
    };
  };
}

/** The alpha the navigator's screening canvas has at the centre of field `index` (-1: the last). */
export function shadeAt(page: Page, index: number): Promise<number> {
  return page.evaluate((i) => {
    const s = (window as unknown as ScreeningWindow).tesseraScreening;
    const field = s?.session.getSnapshot().progress?.fields.at(i);
    if (s === undefined || field === undefined) return -1;
    const p = s.navigator.navigatorPoint((field.minX + field.maxX) / 2, (field.minY + field.maxY) / 2);
    const ctx = s.navigator.canvas.getContext('2d');
    if (p === null || ctx === null) return -1;
    const dpr = window.devicePixelRatio || 1;
    return ctx.getImageData(Math.round(p.x * dpr), Math.round(p.y * dpr), 1, 1).data[3] ?? -1;
  }, index);
}

/** Resolves once every move the page's screening made has been answered by the server. */
export async function screeningSettled(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as ScreeningWindow).tesseraScreening?.session.settled());
}

/** The indexes of the screened tiles of a stored plan (EXACT's `screening_tiles`). */
export function screenedTiles(tiles: Record<string, unknown>): number[] {
  return Object.entries(tiles).flatMap(([i, t]) =>
    (t as { Screened: boolean }).Screened ? [Number(i)] : [],
  );
}

/**
 * Starts screening in the page's panel (at the zoom chosen there) and steps with the keys Space,
 * Space, Shift+Space, Space: fields 0, 1 and 2 screened, the third current, every move answered.
 * Answers the panel's position line.
 */
export async function screenThreeFields(page: Page): Promise<Locator> {
  await page.getByTestId('screening').getByRole('button', { name: 'Start screening' }).click();
  const position = page.getByTestId('screening-position');
  await expect.poll(() => position.getAttribute('data-current')).toBe('0');
  for (const key of ['Space', 'Space', 'Shift+Space', 'Space']) await page.keyboard.press(key);
  await expect.poll(() => position.getAttribute('data-current')).toBe('2');
  await screeningSettled(page);
  return position;
}

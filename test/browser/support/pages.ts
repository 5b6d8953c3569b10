import type { Page } from 'playwright-core';
import type { Credentials } from '../../support/http.js';
import type { BrowserHandle } from './browser.js';

/** A page signed in as `user` (in its own browser context: own cookies), opened at `path`. */
export async function signedIn(
  browser: BrowserHandle,
  baseUrl: string,
  user: Credentials,
  path = '/',
): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel('User name').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${user.username}`).waitFor();
  return page;
}

/** Every form control on the page without an accessible name (label, aria-label or aria-labelledby). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        if (el instanceof HTMLInputElement && el.type === 'hidden') return false;
        const text = el instanceof HTMLButtonElement ? el.textContent.trim() : '';
        const labels = (el as HTMLInputElement).labels?.length ?? 0;
        return (
          text === '' && labels === 0 && !el.hasAttribute('aria-label') && !el.hasAttribute('aria-labelledby')
        );
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

// The account page in headless Chromium against a real server: personal access tokens (shown once,
// working for REST calls, revoked), the password change (this session stays, tokens end), and the way
// back to sign-in when a session ends.
import { beforeAll, describe, expect, it } from 'vitest';
import { Factories, type TestUser } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { signedIn, unlabelledControls } from './support/pages.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true });
const browser = useBrowser();

let member: TestUser;
let setId: number;

beforeAll(async () => {
  const factories = new Factories(server.db);
  member = await factories.user({ username: 'dr-member' });
  const team = await factories.team({ name: 'Pathology Lab', members: [member] });
  setId = await factories.imageSet(team, member, { name: 'Lymph node metastases' });
});

describe.skipIf(lacking('chromium'))('the account page', () => {
  it('creates a token shown once that works for REST calls, then revokes it', async () => {
    const page = await signedIn(browser, server.baseUrl, member, '/');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
    await page.getByLabel('Name').fill('notebook');
    await page.getByLabel('Expires').selectOption('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(secret).toMatch(/^pat_[^.]+\..+/);
    await saveScreenshot(page, 'pages-account-token');

    // As curl would: a bearer token (and DRF's "Token" scheme) on the REST API.
    const asToken = new ApiClient(server.baseUrl, { token: secret });
    const session = await asToken.get<{ user: { username: string } }>('/auth/session/');
    expect(session.status).toBe(200);
    expect(session.body.user.username).toBe(member.username);
    const sets = await asToken.get<{ results: { id: number }[] }>('/images/image_sets/');
    expect(sets.body.results.map((s) => s.id)).toContain(setId);
    const tokenScheme = await fetch(`${server.baseUrl}/api/v1/auth/session/`, {
      headers: { authorization: `Token ${secret}` },
    });
    expect(tokenScheme.status).toBe(200);

    // The secret is shown once: after a reload only the prefix is listed.
    await page.reload();
    const row = page.getByTestId('token-row').filter({ hasText: 'notebook' });
    await row.waitFor();
    expect(await page.getByLabel('Token', { exact: true }).count()).toBe(0);
    expect(await row.textContent()).not.toContain(secret.split('.')[1]);

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke notebook' }).click();
    await row.getByText('revoked').waitFor();
    const after = await asToken.get<{ detail: string }>('/auth/session/');
    expect(after.status).toBe(401);
    expect(after.body.detail).toBe('Token has been revoked.');
    expect(await unlabelledControls(page)).toEqual([]);
    await saveScreenshot(page, 'pages-account-revoked');
  });

  it('changes the password: the server’s message for a wrong current one, then this session stays', async () => {
    const reader = await new Factories(server.db).user({ username: 'dr-reader' });
    const api = new ApiClient(server.baseUrl);
    const token = await api.as(reader).post<{ token: string }>('/users/tokens/', { name: 'old script' });
    const page = await signedIn(browser, server.baseUrl, reader, '/account');
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not my password');
    await form.getByLabel('New password', { exact: true }).fill('a new long password');
    await form.getByLabel('New password again').fill('a new long password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').filter({ hasText: 'current_password' }).waitFor();

    await form.getByLabel('Current password').fill(reader.password);
    await form.getByLabel('New password again').fill('a different password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('The new passwords differ.').waitFor();

    await form.getByLabel('New password again').fill('a new long password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('status').filter({ hasText: 'all your access tokens have ended' }).waitFor();
    expect((await api.as(reader).get('/auth/session/')).status).toBe(401);
    expect((await api.as({ token: token.body.token }).get('/auth/session/')).status).toBe(401);
    const renewed = { username: reader.username, password: 'a new long password' };
    expect((await api.as(renewed).get('/auth/session/')).status).toBe(200);
    // This browser's session made the change and stays signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.getByText(`Signed in as ${reader.username}`).waitFor();
  });

  it('goes back to sign-in when the session ends elsewhere', async () => {
    const page = await signedIn(browser, server.baseUrl, member, '/');
    // The home page's own requests must be answered first: one still in flight when the cookie goes
    // gets its 401 here and sends the user to sign-in with next=/ before the click.
    await page.getByRole('link', { name: 'Lymph node metastases' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.context().clearCookies();
    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL(/\/login\?next=%2Faccount$/);
    await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
  });
});

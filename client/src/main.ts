// The landing page: says what Tessera is, signs in with the session cookie, links to the API docs.
// The annotation workspace replaces this page in its own issue.

interface SessionInfo {
  user: { username: string };
  csrf_token: string;
}

const loginForm = document.querySelector<HTMLFormElement>('#login');
const signedIn = document.querySelector<HTMLElement>('#signed-in');
const who = document.querySelector<HTMLElement>('#who');
const loginError = document.querySelector<HTMLElement>('#login-error');
const logoutButton = document.querySelector<HTMLButtonElement>('#logout');
let csrfToken = '';

function show(session: SessionInfo | null): void {
  if (!loginForm || !signedIn || !who) return;
  loginForm.hidden = session !== null;
  signedIn.hidden = session === null;
  who.textContent = session?.user.username ?? '';
  csrfToken = session?.csrf_token ?? '';
}

async function loadSession(): Promise<void> {
  const response = await fetch('/api/v1/auth/session/', { credentials: 'same-origin' });
  show(response.ok ? ((await response.json()) as SessionInfo) : null);
}

loginForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(loginForm);
  void (async () => {
    const response = await fetch('/api/v1/auth/login/', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: data.get('username'), password: data.get('password') }),
    });
    const body = (await response.json()) as SessionInfo & { detail?: string };
    if (loginError) loginError.textContent = response.ok ? '' : (body.detail ?? 'Sign-in failed.');
    if (response.ok) show(body);
  })();
});

logoutButton?.addEventListener('click', () => {
  void (async () => {
    await fetch('/api/v1/auth/logout/', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrfToken },
    });
    show(null);
  })();
});

void loadSession();

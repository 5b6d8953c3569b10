import type { SubmitEvent } from 'react';
import { users } from '../api/resources';
import { ErrorNotice } from '../components/Notice';
import { field } from '../format';
import { useAction } from '../hooks/useAction';
import { useSession, useSessionState } from '../session';

/** The sign-in page's notice after a password change. */
const PASSWORD_CHANGED = 'Your password was changed and every session ended: sign in with the new one.';

/** Changes the signed-in user's password; the server ends every session, so sign-in follows. */
export function PasswordForm() {
  const session = useSession();
  const { forget } = useSessionState();
  const change = useAction();

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const password = field(data, 'new_password');
    void change
      .run(async () => {
        // Checked here only to spare a round trip; the server checks the rules again.
        if (password !== field(data, 'repeat_password')) throw new Error('The new passwords differ.');
        await users.changePassword(session.user.id, field(data, 'current_password'), password);
      })
      .then((ok) => {
        if (!ok) return;
        // The shell then sends the user to sign-in (and back here afterwards).
        forget(PASSWORD_CHANGED);
      });
  };

  return (
    <form className="stacked-form narrow-form" onSubmit={submit} aria-labelledby="password-title">
      <h3 id="password-title">Change password</h3>
      <label htmlFor="current-password">Current password</label>
      <input
        id="current-password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
      />
      <label htmlFor="new-password">New password</label>
      <input
        id="new-password"
        name="new_password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
      />
      <label htmlFor="repeat-password">New password again</label>
      <input
        id="repeat-password"
        name="repeat_password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
      />
      <ErrorNotice message={change.error} />
      <div className="form-actions">
        <button type="submit" disabled={change.busy}>
          Change password
        </button>
      </div>
    </form>
  );
}

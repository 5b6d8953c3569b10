import { useState, type SubmitEvent } from 'react';
import { users } from '../api/resources';
import { ErrorNotice, StatusLine } from '../components/Notice';
import { field } from '../format';
import { useAction } from '../hooks/useAction';
import { useSession } from '../session';

/** What the form says after a password change. */
const PASSWORD_CHANGED =
  'Your password was changed. Your other sessions and all your access tokens have ended; this one stays signed in.';

/**
 * Changes the signed-in user's password; the server ends the other sessions and every token
 * (`onChanged` then shows the tokens revoked).
 */
export function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const session = useSession();
  const change = useAction();
  const [changed, setChanged] = useState(false);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const password = field(data, 'new_password');
    setChanged(false);
    void change
      .run(async () => {
        // Checked here only to spare a round trip; the server checks the rules again.
        if (password !== field(data, 'repeat_password')) throw new Error('The new passwords differ.');
        await users.changePassword(session.user.id, field(data, 'current_password'), password);
      })
      .then((ok) => {
        if (!ok) return;
        form.reset();
        setChanged(true);
        onChanged();
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
      {changed ? <StatusLine>{PASSWORD_CHANGED}</StatusLine> : null}
      <div className="form-actions">
        <button type="submit" disabled={change.busy}>
          Change password
        </button>
      </div>
    </form>
  );
}

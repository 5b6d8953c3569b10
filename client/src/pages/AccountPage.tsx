import type { AccessToken } from '@tessera/shared';
import { useState, type SubmitEvent } from 'react';
import { tokens, type AccessTokenCreated } from '../api/resources';
import { ErrorNotice } from '../components/Notice';
import { field, formatTime } from '../format';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';
import { PasswordForm } from './PasswordForm';
import { useSession } from '../session';

/** A token's state in words. */
function tokenState(token: AccessToken, now: string): 'revoked' | 'expired' | 'active' {
  if (token.revoked !== null) return 'revoked';
  if (token.expires !== null && token.expires < now) return 'expired';
  return 'active';
}

/** The signed-in user's account and personal access tokens for scripts (EXACT-Sync, notebooks). */
export function AccountPage() {
  const session = useSession();
  const list = useLoad(() => tokens.list(), []);
  const create = useAction();
  const revoke = useAction();
  const [created, setCreated] = useState<AccessTokenCreated | null>(null);
  const now = new Date().toISOString().slice(0, 19);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const days = field(data, 'expires');
    void create
      .run(async () => {
        setCreated(await tokens.create(field(data, 'name'), days === 'never' ? null : Number(days)));
      })
      .then((ok) => {
        if (!ok) return;
        form.reset();
        list.reload();
      });
  };

  return (
    <div className="page">
      <h1>Account</h1>
      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl className="facts">
          <dt>User name</dt>
          <dd>{session.user.username}</dd>
          <dt>E-mail</dt>
          <dd>{session.user.email ?? '—'}</dd>
          <dt>Role</dt>
          <dd>{session.user.is_superuser ? 'Superuser' : 'User'}</dd>
          <dt>Last sign-in</dt>
          <dd>{formatTime(session.user.last_login)}</dd>
        </dl>
        <PasswordForm onChanged={list.reload} />
      </section>
      <section className="panel" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Personal access tokens</h2>
        <p className="muted small">
          For scripts, EXACT&apos;s Python client and SlideRunner: send{' '}
          <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1/</code>. A token acts as you;
          revoke it when it is no longer needed.
        </p>
        <form className="inline-form" onSubmit={submit}>
          <label htmlFor="token-name">Name</label>
          <input id="token-name" name="name" required maxLength={200} placeholder="e.g. notebook on lab PC" />
          <label htmlFor="token-expires">Expires</label>
          <select id="token-expires" name="expires" defaultValue="90">
            <option value="7">in 7 days</option>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="never">never</option>
          </select>
          <button type="submit" className="primary" disabled={create.busy}>
            Create token
          </button>
        </form>
        <ErrorNotice message={create.error} />
        {created !== null ? (
          <NewToken
            token={created}
            onDone={() => {
              setCreated(null);
            }}
          />
        ) : null}
        <ErrorNotice message={list.error} />
        <ErrorNotice message={revoke.error} />
        {list.data !== undefined && list.data.length === 0 ? <p className="empty">No tokens yet.</p> : null}
        {list.data !== undefined && list.data.length > 0 ? (
          <table className="data-table" aria-label="Your tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((token) => {
                const state = tokenState(token, now);
                return (
                  <tr key={token.id} data-testid="token-row">
                    <td>{token.name}</td>
                    <td>
                      <code>pat_{token.prefix}…</code>
                    </td>
                    <td>{formatTime(token.created)}</td>
                    <td>{token.expires === null ? 'never' : formatTime(token.expires)}</td>
                    <td>{formatTime(token.last_used)}</td>
                    <td>
                      <span className={`badge ${state === 'active' ? 'badge-ok' : 'badge-error'}`}>
                        {state}
                      </span>
                    </td>
                    <td className="actions">
                      {state === 'active' ? (
                        <button
                          type="button"
                          className="danger"
                          disabled={revoke.busy}
                          onClick={() => {
                            if (
                              !window.confirm(
                                `Revoke the token “${token.name}”? Scripts using it stop working.`,
                              )
                            )
                              return;
                            void revoke.run(() => tokens.revoke(token.id)).then(list.reload);
                          }}
                        >
                          Revoke <span className="visually-hidden">{token.name}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}

/** The new token's secret: shown once, with a copy button. */
function NewToken({ token, onDone }: { token: AccessTokenCreated; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div className="secret-box" role="region" aria-labelledby="secret-title">
      <h3 id="secret-title">Token “{token.name}” created</h3>
      <p>Copy it now: it is shown only this once.</p>
      <label htmlFor="token-secret">Token</label>
      <div className="secret-row">
        <input
          id="token-secret"
          readOnly
          value={token.token}
          onFocus={(event) => {
            event.target.select();
          }}
        />
        <button
          type="button"
          onClick={() => {
            navigator.clipboard.writeText(token.token).then(
              () => {
                setCopied('Copied.');
              },
              () => {
                setCopied('Copying is blocked here: select the token and copy it by hand.');
              },
            );
          }}
        >
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied !== null ? <p role="status">{copied}</p> : null}
    </div>
  );
}

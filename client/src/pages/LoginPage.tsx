import { useState, type SubmitEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { ErrorNotice } from '../components/Notice';
import { field, safeNext } from '../format';
import { useSessionState } from '../session';

/** Sign-in with user name and password; the server's message is shown as it is. */
export function LoginPage() {
  const { session, signIn, notice } = useSessionState();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session !== null) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    signIn(field(data, 'username'), field(data, 'password')).catch((problem: unknown) => {
      setError(problem instanceof Error ? problem.message : String(problem));
      setBusy(false);
    });
  };

  return (
    <main id="main" className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Tessera</h1>
        <p className="muted">Sign in to annotate your team&apos;s images.</p>
        <label htmlFor="login-username">User name</label>
        <input id="login-username" name="username" autoComplete="username" required autoFocus />
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
        {notice !== null && error === null ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <ErrorNotice message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">
          Scripts and notebooks use the REST API: <a href="/api/v1/docs/">API documentation</a>.
        </p>
      </form>
    </main>
  );
}

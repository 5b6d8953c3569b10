import { Navigate, Outlet, useLocation } from 'react-router';
import { useSessionState } from '../session';
import { Header } from './Header';

/** Signed-in pages: the header above the page; signed-out visitors go to sign-in and come back. */
export function RequireSession() {
  const { session } = useSessionState();
  const location = useLocation();
  if (session === null) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <div className="app">
      <Header />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

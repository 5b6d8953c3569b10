import { Database, LayoutGrid, LogOut, UserRound } from 'lucide-react';
import { Link, NavLink, useNavigate } from 'react-router';
import { useSession, useSessionState } from '../session';

/** Icons in the header are decoration beside their text: hidden from screen readers, one size. */
const ICON = { size: 16, strokeWidth: 2, 'aria-hidden': true } as const;

/** The bar on every signed-in page: home, who is signed in, the account page and sign-out. */
export function Header() {
  const session = useSession();
  const { signOut } = useSessionState();
  const navigate = useNavigate();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand" aria-label="Tessera: image sets">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        Tessera
      </Link>
      <nav aria-label="Main">
        <NavLink to="/" end>
          <LayoutGrid {...ICON} />
          Image sets
        </NavLink>
        <NavLink to="/datasets">
          <Database {...ICON} />
          Data sets
        </NavLink>
      </nav>
      <div className="header-user">
        <span className="who">
          Signed in as <strong data-testid="username">{session.user.username}</strong>
          {session.user.is_superuser ? <span className="badge">superuser</span> : null}
        </span>
        <NavLink to="/account">
          <UserRound {...ICON} />
          Account
        </NavLink>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void signOut().then(() => navigate('/login'));
          }}
        >
          <LogOut {...ICON} />
          Sign out
        </button>
      </div>
    </header>
  );
}

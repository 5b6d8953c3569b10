import { Link, NavLink, useNavigate } from 'react-router';
import { useSession, useSessionState } from '../session';

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
        Tessera
      </Link>
      <nav aria-label="Main">
        <NavLink to="/" end>
          Image sets
        </NavLink>
        <NavLink to="/datasets">Data sets</NavLink>
      </nav>
      <div className="header-user">
        <span className="who">
          Signed in as <strong data-testid="username">{session.user.username}</strong>
          {session.user.is_superuser ? <span className="badge">superuser</span> : null}
        </span>
        <NavLink to="/account">Account</NavLink>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void signOut().then(() => navigate('/login'));
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}

// The signed-in user for every page: loaded once at start, replaced by sign-in, cleared by sign-out
// or by any 401 (an expired or revoked session sends the user back to the sign-in page).
import type { SessionInfo } from '@tessera/shared';
import { createContext, use, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loadSession, onUnauthorized, signIn, signOut } from './api/http';

interface SessionState {
  readonly session: SessionInfo | null;
  readonly signIn: (username: string, password: string) => Promise<void>;
  readonly signOut: () => Promise<void>;
  /** Forgets a session the server has already ended, with a word for the sign-in page. */
  readonly forget: (notice: string) => void;
  /** What the sign-in page should say (why the session ended), if anything. */
  readonly notice: string | null;
}

const SessionContext = createContext<SessionState | null>(null);

/** Loads the session, then renders the children with it (or the start-up error). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadSession().then(
      (loaded) => {
        if (live) setSession(loaded);
      },
      (problem: unknown) => {
        if (live) setError(problem instanceof Error ? problem.message : String(problem));
      },
    );
    const unsubscribe = onUnauthorized(() => {
      setSession(null);
      setNotice('Your session has ended: sign in again.');
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);

  const value = useMemo<SessionState | null>(
    () =>
      session === undefined
        ? null
        : {
            session,
            notice,
            async signIn(username, password) {
              setSession(await signIn(username, password));
              setNotice(null);
            },
            async signOut() {
              try {
                await signOut();
              } finally {
                setSession(null);
                setNotice(null);
              }
            },
            forget(why) {
              setSession(null);
              setNotice(why);
            },
          },
    [session, notice],
  );

  if (error !== null) {
    return (
      <p role="alert" className="startup-error">
        Tessera could not reach its server: {error}
      </p>
    );
  }
  // The session check is one quick request: a blank page then, never a "Loading..." flash.
  if (value === null) {
    return (
      <div className="startup" role="status">
        <span className="visually-hidden">Starting Tessera…</span>
      </div>
    );
  }
  return <SessionContext value={value}>{children}</SessionContext>;
}

/** The session state; only inside SessionProvider. */
export function useSessionState(): SessionState {
  const state = use(SessionContext);
  if (state === null) throw new Error('useSessionState() outside SessionProvider');
  return state;
}

/** The signed-in session; only on pages behind RequireSession. */
export function useSession(): SessionInfo {
  const { session } = useSessionState();
  if (session === null) throw new Error('useSession() on a page that does not require a session');
  return session;
}

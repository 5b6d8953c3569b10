/** Who is asking, as established by the authentication middleware. */
export interface Viewer {
  readonly id: number;
  readonly username: string;
  readonly isSuperuser: boolean;
  readonly isStaff: boolean;
  /** How the request authenticated: CSRF checks apply to the browser session only. */
  readonly via: 'session' | 'basic' | 'token';
  /**
   * The session or token the request came with: a password change keeps this session, and a live
   * document connection checks it again while it lasts. Absent for Basic and the server's own work.
   */
  readonly credential?: Credential;
}

/** A session (by the SHA-256 of its cookie token, as stored) or a personal access token (by id). */
export type Credential =
  | { readonly kind: 'session'; readonly sessionId: Buffer }
  | { readonly kind: 'token'; readonly tokenId: number };

/** Who is asking, as established by the authentication middleware. */
export interface Viewer {
  readonly id: number;
  readonly username: string;
  readonly isSuperuser: boolean;
  readonly isStaff: boolean;
  /** How the request authenticated: CSRF checks apply to the browser session only. */
  readonly via: 'session' | 'basic' | 'token';
}

import type { AccessToken } from '@tessera/shared';
import type { Config } from '../config/config.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import type { AccessTokenRow, AuthRepo, CredentialRow } from './auth.repo.js';
import { CredentialCache } from './credential-cache.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { verifyPassword } from './passwords.js';
import { newAccessToken, parseAccessToken, randomSecret, safeEqual, sha256 } from './secrets.js';
import type { Credential, Viewer } from './viewer.js';

export interface SessionViewer {
  readonly viewer: Viewer;
  readonly csrfToken: string;
}

function toViewer(row: CredentialRow, via: Viewer['via'], credential?: Credential): Viewer {
  const viewer = { id: row.id, username: row.username, isSuperuser: row.is_superuser, isStaff: row.is_staff };
  return credential === undefined ? { ...viewer, via } : { ...viewer, via, credential };
}

/** Passwords, sessions and access tokens: who a request is. */
export class AuthService {
  private readonly basicCache = new CredentialCache(60_000, 10_000);
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly repo: AuthRepo,
    private readonly config: Pick<Config, 'sessionTtlHours'>,
    pause?: (ms: number) => Promise<unknown>,
  ) {
    this.throttle = new SignInThrottle(repo, pause);
  }

  /**
   * Checks a user name and password, throttled per user name and client address (SignInThrottle). Successful
   * checks are cached briefly so API clients that send Basic credentials on every request do not pay
   * for argon2 each time; the cache entry lapses when the user's credentials change.
   */
  async verifyCredentials(
    username: string,
    password: string,
    ip: string,
    via: 'session' | 'basic',
  ): Promise<Viewer> {
    const cacheKey = sha256(`${username}\u0000${password}`).toString('base64');
    const cached = this.basicCache.get(cacheKey);
    if (cached !== undefined) {
      const row = await this.repo.credentialsById(cached.userId);
      if (row?.is_active && row.credentials_version === cached.version) return toViewer(row, via);
      this.basicCache.delete(cacheKey);
    }
    await this.throttle.before(username, ip);
    const row = await this.repo.credentialsByUsername(username);
    const ok = await verifyPassword(row?.password_hash ?? null, password);
    if (!row || !ok || !row.is_active) {
      await this.throttle.failed(username, ip);
      throw AppError.authenticationFailed('Invalid username/password.');
    }
    await this.throttle.succeeded(username, ip);
    this.basicCache.set(cacheKey, { userId: row.id, version: row.credentials_version });
    return toViewer(row, via);
  }

  /** Authenticates `pat_<prefix>.<secret>`; expired, revoked and unknown tokens are all a 401. */
  async verifyAccessToken(token: string): Promise<Viewer> {
    const parsed = parseAccessToken(token);
    const row = parsed && (await this.repo.findToken(parsed.prefix));
    if (!parsed || !row || !safeEqual(row.secret_hash.toString('hex'), parsed.secretHash.toString('hex'))) {
      throw AppError.authenticationFailed('Invalid token.');
    }
    if (row.revoked) throw AppError.authenticationFailed('Token has been revoked.');
    if (row.expired) throw AppError.authenticationFailed('Token has expired.');
    if (!row.is_active) throw AppError.authenticationFailed('User inactive or deleted.');
    if (!row.used_recently) await this.repo.touchToken(row.token_id);
    return toViewer(row, 'token', { kind: 'token', tokenId: row.token_id });
  }

  /** Signs in for the browser: a new session whose token goes into an httpOnly cookie. */
  async login(
    username: string,
    password: string,
    client: { ip: string; userAgent: string | null },
  ): Promise<SessionViewer & { sessionToken: string }> {
    const checked = await this.verifyCredentials(username, password, client.ip, 'session');
    const sessionToken = randomSecret(32);
    const csrfToken = randomSecret(24);
    const id = sha256(sessionToken);
    const viewer: Viewer = { ...checked, credential: { kind: 'session', sessionId: id } };
    await this.repo.createSession({
      id,
      userId: viewer.id,
      csrfToken,
      ttlHours: this.config.sessionTtlHours,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    await this.repo.recordLogin(viewer.id);
    return { viewer, csrfToken, sessionToken };
  }

  /** The session behind a cookie's token, or null when it is unknown, expired or its user inactive. */
  async resumeSession(sessionToken: string): Promise<SessionViewer | null> {
    const id = sha256(sessionToken);
    const row = await this.repo.findSession(id);
    if (!row?.is_active) return null;
    if (!row.seen_recently) await this.repo.touchSession(id);
    return {
      viewer: toViewer(row, 'session', { kind: 'session', sessionId: id }),
      csrfToken: row.csrf_token,
    };
  }

  /**
   * Whether a session or token still admits its user: the session exists and has not expired, the
   * token is neither revoked nor expired, and the user is active (live connections, rule A6).
   */
  async credentialHolds(credential: Credential): Promise<boolean> {
    return credential.kind === 'session'
      ? this.repo.sessionHolds(credential.sessionId)
      : this.repo.tokenHolds(credential.tokenId);
  }

  async logout(sessionToken: string): Promise<void> {
    await this.repo.deleteSession(sha256(sessionToken));
  }

  async listTokens(viewer: Viewer): Promise<AccessToken[]> {
    return (await this.repo.listTokens(viewer.id)).map(presentToken);
  }

  async createToken(
    viewer: Viewer,
    input: { name: string; expires_in_days: number | null },
  ): Promise<AccessToken & { token: string }> {
    const { token, prefix, secretHash } = newAccessToken();
    const row = await this.repo.insertToken({
      userId: viewer.id,
      name: input.name,
      prefix,
      secretHash,
      expiresInDays: input.expires_in_days,
    });
    return { ...presentToken(row), token };
  }

  async revokeToken(viewer: Viewer, tokenId: number): Promise<void> {
    if (!(await this.repo.revokeToken(viewer.id, tokenId))) throw AppError.notFound();
  }
}

function presentToken(row: AccessTokenRow): AccessToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created: formatTimestamp(row.created_at) ?? '',
    expires: formatTimestamp(row.expires_at),
    last_used: formatTimestamp(row.last_used_at),
    revoked: formatTimestamp(row.revoked_at),
  };
}

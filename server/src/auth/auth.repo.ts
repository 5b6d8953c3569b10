import type { Queryable } from '../db/database.js';

export interface CredentialRow {
  id: number;
  username: string;
  password_hash: string | null;
  is_active: boolean;
  is_superuser: boolean;
  is_staff: boolean;
  credentials_version: number;
}

export interface SessionRow extends CredentialRow {
  csrf_token: string;
  seen_recently: boolean;
}

export interface TokenRow extends CredentialRow {
  token_id: number;
  secret_hash: Buffer;
  expired: boolean;
  revoked: boolean;
  used_recently: boolean;
}

const userColumns =
  'u.id, u.username, u.password_hash, u.is_active, u.is_superuser, u.is_staff, u.credentials_version';

/** Sessions, access tokens, sign-in throttling and credential look-ups. */
export class AuthRepo {
  constructor(private readonly db: Queryable) {}

  async credentialsByUsername(username: string): Promise<CredentialRow | undefined> {
    const rows = await this.db.query<CredentialRow>(
      `SELECT ${userColumns} FROM users u WHERE lower(u.username) = lower($1)`,
      [username],
    );
    return rows[0];
  }

  async credentialsById(id: number): Promise<CredentialRow | undefined> {
    const rows = await this.db.query<CredentialRow>(`SELECT ${userColumns} FROM users u WHERE u.id = $1`, [
      id,
    ]);
    return rows[0];
  }

  async recordLogin(userId: number): Promise<void> {
    await this.db.query('UPDATE users SET last_login = now() WHERE id = $1', [userId]);
  }

  async createSession(s: {
    id: Buffer;
    userId: number;
    csrfToken: string;
    ttlHours: number;
    ip: string | null;
    userAgent: string | null;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (id, user_id, csrf_token, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5, $6)`,
      [s.id, s.userId, s.csrfToken, s.ttlHours, s.ip, s.userAgent?.slice(0, 500) ?? null],
    );
  }

  async findSession(id: Buffer): Promise<SessionRow | undefined> {
    const rows = await this.db.query<SessionRow>(
      `SELECT ${userColumns}, s.csrf_token, s.last_seen_at > now() - interval '5 minutes' AS seen_recently
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND s.expires_at > now()`,
      [id],
    );
    return rows[0];
  }

  async touchSession(id: Buffer): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = now() WHERE id = $1', [id]);
  }

  async deleteSession(id: Buffer): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  /** Ends the user's sessions, all of them or all but `keep` (the session changing the password). */
  async deleteSessionsOfUser(userId: number, keep?: Buffer): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2', [
      userId,
      keep ?? null,
    ]);
  }

  /** Whether a session exists, has not expired and belongs to an active user. */
  async sessionHolds(id: Buffer): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND s.expires_at > now() AND u.is_active`,
      [id],
    );
    return rows.length > 0;
  }

  /** Whether a token is neither revoked nor expired and belongs to an active user. */
  async tokenHolds(id: number): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.id = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
         AND u.is_active`,
      [id],
    );
    return rows.length > 0;
  }

  async deleteExpiredSessions(): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      'WITH gone AS (DELETE FROM sessions WHERE expires_at <= now() RETURNING 1) SELECT count(*) AS n FROM gone',
    );
    return rows[0]?.n ?? 0;
  }

  /** Forgets failure counts whose window ended long ago. */
  async deleteStaleThrottles(olderThanSeconds: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM login_throttle WHERE window_start < now() - make_interval(secs => $1) RETURNING 1)
       SELECT count(*) AS n FROM gone`,
      [olderThanSeconds],
    );
    return rows[0]?.n ?? 0;
  }

  async findToken(prefix: string): Promise<TokenRow | undefined> {
    const rows = await this.db.query<TokenRow>(
      `SELECT ${userColumns}, t.id AS token_id, t.secret_hash,
              (t.expires_at IS NOT NULL AND t.expires_at <= now()) AS expired,
              (t.revoked_at IS NOT NULL) AS revoked,
              (t.last_used_at IS NOT NULL AND t.last_used_at > now() - interval '1 minute') AS used_recently
       FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.prefix = $1`,
      [prefix],
    );
    return rows[0];
  }

  async touchToken(tokenId: number): Promise<void> {
    await this.db.query('UPDATE personal_access_tokens SET last_used_at = now() WHERE id = $1', [tokenId]);
  }

  /** Seconds until `key` may try again, or 0 when it is under `limit` failures in the window. */
  async throttleWait(key: string, limit: number, windowSeconds: number): Promise<number> {
    const rows = await this.db.query<{ wait: number }>(
      `SELECT GREATEST(0, ceil(extract(epoch FROM window_start + make_interval(secs => $3) - now())))::int AS wait
       FROM login_throttle WHERE key = $1 AND failures >= $2`,
      [key, limit, windowSeconds],
    );
    return rows[0]?.wait ?? 0;
  }

  async recordFailure(key: string, windowSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO login_throttle AS t (key, window_start, failures) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
         window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END`,
      [key, windowSeconds],
    );
  }

  async clearFailures(key: string): Promise<void> {
    await this.db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }

  async listTokens(userId: number): Promise<AccessTokenRow[]> {
    return this.db.query<AccessTokenRow>(
      `SELECT ${tokenColumns} FROM personal_access_tokens WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
  }

  async insertToken(t: {
    userId: number;
    name: string;
    prefix: string;
    secretHash: Buffer;
    expiresInDays: number | null;
  }): Promise<AccessTokenRow> {
    const rows = await this.db.query<AccessTokenRow>(
      `INSERT INTO personal_access_tokens (user_id, name, prefix, secret_hash, expires_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END)
       RETURNING ${tokenColumns}`,
      [t.userId, t.name, t.prefix, t.secretHash, t.expiresInDays],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT ... RETURNING gave no row');
    return row;
  }

  /** Revokes one of the user's tokens; false if the user has no such token. */
  async revokeToken(userId: number, tokenId: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE personal_access_tokens SET revoked_at = coalesce(revoked_at, now())
       WHERE id = $1 AND user_id = $2 RETURNING id`,
      [tokenId, userId],
    );
    return rows.length > 0;
  }

  async revokeAllTokens(userId: number): Promise<void> {
    await this.db.query(
      'UPDATE personal_access_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
      [userId],
    );
  }
}

export interface AccessTokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const tokenColumns = 'id, name, prefix, created_at, expires_at, last_used_at, revoked_at';

// Verifying a token costs an HMAC, a JSON parse and a schema check; a viewer sends the same token with
// every tile, so verified tokens are remembered (expiry is still checked on every use).
import { Lru } from '../cache/lru.js';
import { verifyTileToken, type TileTokenPayload, type TileTokenScope } from './tile-token.js';

/** Verifies tile tokens against one secret, remembering recent good ones. */
export class TokenVerifier {
  private readonly verified = new Lru<TileTokenPayload>({ maxWeight: 4096 });

  constructor(
    private readonly secret: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** The payload when `token` is valid, unexpired and grants `scope`; otherwise null. */
  check(token: string, scope: TileTokenScope): TileTokenPayload | null {
    const now = this.now();
    let payload = this.verified.get(token);
    if (payload === undefined) {
      const result = verifyTileToken(this.secret, token, now);
      if (!result.ok) return null;
      payload = result.payload;
      this.verified.set(token, payload);
    }
    if (payload.exp <= now) {
      this.verified.delete(token);
      return null;
    }
    return payload.scope.includes(scope) ? payload : null;
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors/app-error.js';
import type { AuthRepo } from './auth.repo.js';

/** The window failures are counted in. */
export const THROTTLE_WINDOW_SECONDS = 15 * 60;
/** Failures of one user name from one address before that pair is refused (429) until the window ends. */
export const FAILURES_PER_NAME_AND_ADDRESS = 10;
/** Failures from one address, over all names, after which every password check from it is slowed. */
export const FAILURES_BEFORE_ADDRESS_SLOWDOWN = 300;
/** The pause each password check from such an address waits before it is made. */
export const ADDRESS_SLOWDOWN_MS = 1000;

/**
 * Sign-in throttling that cannot lock out someone who never failed. Failures are counted per user
 * name AND client address together: guessing alice's password from one address blocks that address
 * for "alice" only, never alice elsewhere, and never other names from that address. Against
 * credential stuffing (many names from one address) a much higher per-address count only slows:
 * past it, every check from the address waits ADDRESS_SLOWDOWN_MS first, right or wrong (a pause on
 * failures alone would tell an impatient client the answer), and nobody is refused for it.
 */
export class SignInThrottle {
  constructor(
    private readonly repo: AuthRepo,
    private readonly pause: (ms: number) => Promise<unknown> = sleep,
  ) {}

  /** Before a password check: 429 for a name and address that failed too often, a pause for a busy address. */
  async before(username: string, address: string): Promise<void> {
    const wait = await this.repo.throttleWait(
      pairKey(username, address),
      FAILURES_PER_NAME_AND_ADDRESS,
      THROTTLE_WINDOW_SECONDS,
    );
    if (wait > 0) throw AppError.throttled(wait);
    const busy = await this.repo.throttleWait(
      addressKey(address),
      FAILURES_BEFORE_ADDRESS_SLOWDOWN,
      THROTTLE_WINDOW_SECONDS,
    );
    if (busy > 0) await this.pause(ADDRESS_SLOWDOWN_MS);
  }

  /** Counts a failed check against the pair and the address. */
  async failed(username: string, address: string): Promise<void> {
    await this.repo.recordFailure(pairKey(username, address), THROTTLE_WINDOW_SECONDS);
    await this.repo.recordFailure(addressKey(address), THROTTLE_WINDOW_SECONDS);
  }

  /** A right password clears the pair's count (the address's stays: other names may be under attack). */
  async succeeded(username: string, address: string): Promise<void> {
    await this.repo.clearFailures(pairKey(username, address));
  }
}

function pairKey(username: string, address: string): string {
  return `pair:${address} ${username.toLowerCase()}`;
}

function addressKey(address: string): string {
  return `address:${address}`;
}

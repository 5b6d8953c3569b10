import { describe, expect, it } from 'vitest';
import { Factories } from '../../../test/support/factories.js';
import { useTestDatabase } from '../../../test/support/database.js';
import { AppError } from '../errors/app-error.js';
import { AuthRepo } from './auth.repo.js';
import { AuthService } from './auth.service.js';
import {
  ADDRESS_SLOWDOWN_MS,
  FAILURES_BEFORE_ADDRESS_SLOWDOWN,
  FAILURES_PER_NAME_AND_ADDRESS,
  SignInThrottle,
} from './sign-in-throttle.js';

const database = useTestDatabase();
const make = () => new Factories(database.db);

/** An AuthService whose throttle pauses are recorded instead of waited. */
function service() {
  const pauses: number[] = [];
  const auth = new AuthService(new AuthRepo(database.db), { sessionTtlHours: 24 }, (ms) => {
    pauses.push(ms);
    return Promise.resolve();
  });
  return { auth, pauses };
}

/** The outcome of one password check: 'ok', or the error code it was refused with. */
async function attempt(auth: AuthService, username: string, password: string, address: string) {
  try {
    await auth.verifyCredentials(username, password, address, 'session');
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('sign-in throttling', () => {
  it('refuses a name from the address that guessed it, and never its owner elsewhere', async () => {
    const { auth } = service();
    const owner = await make().user();
    const other = await make().user();
    for (let i = 0; i < FAILURES_PER_NAME_AND_ADDRESS; i++)
      expect(await attempt(auth, owner.username, `guess ${i}`, '203.0.113.9')).toBe('authentication_failed');
    // The guessing address is refused for this name, even with the right password, with a reason.
    const refused = await auth
      .verifyCredentials(owner.username.toUpperCase(), owner.password, '203.0.113.9', 'basic')
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(429);
    expect((refused as AppError).message).toMatch(
      /this user name from this address\. Try again in \d+ seconds/,
    );
    // The owner, who never failed, signs in from their own address; other names from the guessing one.
    expect(await attempt(auth, owner.username, owner.password, '198.51.100.4')).toBe('ok');
    expect(await attempt(auth, other.username, other.password, '203.0.113.9')).toBe('ok');
  });

  it('slows, never refuses, an address with many failures over many names', async () => {
    const { auth, pauses } = service();
    const user = await make().user();
    const address = '192.0.2.77';
    // Failures spread over many names (credential stuffing), recorded as the checks record them.
    const throttle = new SignInThrottle(new AuthRepo(database.db));
    for (let i = 0; i < FAILURES_BEFORE_ADDRESS_SLOWDOWN; i++) await throttle.failed(`name-${i}`, address);
    expect(pauses).toEqual([]);
    expect(await attempt(auth, user.username, user.password, address)).toBe('ok');
    expect(pauses).toEqual([ADDRESS_SLOWDOWN_MS]);
    // Another address is not slowed.
    expect(await attempt(auth, user.username, 'wrong', '192.0.2.78')).toBe('authentication_failed');
    expect(pauses).toEqual([ADDRESS_SLOWDOWN_MS]);
  });
});

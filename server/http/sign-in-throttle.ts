/**
 * Throttles password guesses at sign-in, per address and per account. An attempt is counted as it
 * arrives, before the slow password check, so a burst sent at once is refused as the same attempts
 * sent one after another are; a successful sign-in gives its place back once answered.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { clientAddress } from './security.ts';

/** One account may take this many times an address's attempts, from all addresses together. */
export const ACCOUNT_LIMIT_FACTOR = 3;

const WINDOW_MS = 60_000;

interface Attempts {
  /** Answered 401 since the window began. */
  failures: number;
  /** Arrived and not answered yet. */
  inFlight: number;
  /** When the failures are forgotten (epoch ms). */
  resetAt: number;
}

/** Attempts per key (an address, an account) in a fixed window, held in memory. */
class AttemptCounter {
  readonly #entries = new Map<string, Attempts>();
  #sinceSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until `key` may try again; 0 if it may now. */
  waitFor(key: string, now: number): number {
    const entry = this.#current(key, now);
    return entry && entry.failures + entry.inFlight >= this.limit ? Math.max(entry.resetAt - now, 1000) : 0;
  }

  arrive(key: string, now: number): void {
    let entry = this.#current(key, now);
    if (!entry) {
      entry = { failures: 0, inFlight: 0, resetAt: now + this.windowMs };
      this.#entries.set(key, entry);
      if (++this.#sinceSweep >= 1000) this.#sweep(now);
    }
    entry.inFlight++;
  }

  /** The attempt was answered: a failure keeps its place until the window ends, anything else frees it. */
  settle(key: string, failed: boolean): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.inFlight--;
    if (failed) entry.failures++;
  }

  #current(key: string, now: number): Attempts | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.resetAt <= now) {
      // A new window: attempts still in flight carry over, the old failures are forgotten.
      entry.failures = 0;
      entry.resetAt = now + this.windowMs;
    }
    return entry;
  }

  #sweep(now: number): void {
    this.#sinceSweep = 0;
    for (const [key, entry] of this.#entries) if (entry.resetAt <= now && entry.inFlight === 0) this.#entries.delete(key);
  }
}

/**
 * Refuses a sign-in with 429 and Retry-After when its address has `perAddress` attempts, or its
 * account (the e-mail typed, normalised) `perAddress × ACCOUNT_LIMIT_FACTOR`, failed within the
 * minute or still being checked. The account's limit is looser so that a burst from one address
 * uses up that address's attempts without locking the owner out everywhere; a burst from many
 * addresses at one account does lock it for the rest of the minute, which is the point.
 *
 * @example app.post('/login', signInThrottle(10), handler) // the handler answers 401 for a wrong password
 */
export function signInThrottle(perAddress: number): MiddlewareHandler<AppEnv> {
  const addresses = new AttemptCounter(perAddress, WINDOW_MS);
  const accounts = new AttemptCounter(perAddress * ACCOUNT_LIMIT_FACTOR, WINDOW_MS);
  return async function throttleSignIn(c, next) {
    // Hono keeps the parsed body, so the handler reads the same form again at no cost.
    const body = await c.req.parseBody();
    const account = String(body['email'] ?? '')
      .trim()
      .toLowerCase();
    const address = clientAddress(c);
    const now = Date.now();
    const wait = Math.max(addresses.waitFor(address, now), accounts.waitFor(account, now));
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      throw new AppError('rate_limited', 'Too many requests; please wait a minute.');
    }
    addresses.arrive(address, now);
    accounts.arrive(account, now);
    let failed = false;
    try {
      await next();
      failed = c.res.status === 401;
    } finally {
      addresses.settle(address, failed);
      accounts.settle(account, failed);
    }
  };
}

/**
 * The settings that let the server recover from a lost database connection: their defaults, and
 * a query timeout that would cut a statement PostgreSQL is still allowed to run is refused.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../server/config.ts';

describe('connection timeout settings', () => {
  it('have defaults: a query timeout beyond the statement timeout, and idle transactions ended', () => {
    const config = readConfig({});
    expect(config.queryTimeoutMs).toBe(35_000);
    expect(config.idleInTransactionTimeoutMs).toBe(15_000);
    // The replica's statements may run 120 s; its client-side limit keeps the primary's 5 s margin.
    expect(config.analyticsQueryTimeoutMs).toBe(125_000);
  });

  it('follow a raised statement timeout unless set', () => {
    const raised = readConfig({ STATEMENT_TIMEOUT_MS: '60000' });
    expect(raised.queryTimeoutMs).toBe(65_000);
    expect(readConfig({ STATEMENT_TIMEOUT_MS: '0' }).queryTimeoutMs).toBe(0);
  });

  it('can be tuned or turned off', () => {
    const tuned = readConfig({
      STATEMENT_TIMEOUT_MS: '1000',
      DB_QUERY_TIMEOUT_MS: '2000',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
      ANALYTICS_STATEMENT_TIMEOUT_MS: '0',
    });
    expect([tuned.queryTimeoutMs, tuned.idleInTransactionTimeoutMs, tuned.analyticsQueryTimeoutMs]).toEqual([2000, 0, 0]);
    expect(readConfig({ DB_QUERY_TIMEOUT_MS: '0' }).analyticsQueryTimeoutMs).toBe(0);
  });

  it('refuses a query timeout no longer than the statement timeout, naming the variable', () => {
    expect(() => readConfig({ STATEMENT_TIMEOUT_MS: '30000', DB_QUERY_TIMEOUT_MS: '30000' })).toThrow(ConfigError);
    expect(() => readConfig({ STATEMENT_TIMEOUT_MS: '30000', DB_QUERY_TIMEOUT_MS: '30000' })).toThrow(
      /DB_QUERY_TIMEOUT_MS: must be longer than STATEMENT_TIMEOUT_MS/,
    );
    expect(() => readConfig({ DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '-1' })).toThrow(/DB_IDLE_IN_TRANSACTION_TIMEOUT_MS/);
  });
});

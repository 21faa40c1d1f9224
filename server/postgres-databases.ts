/**
 * The PostgreSQL handles of a server process, opened from its configuration: the primary and, with
 * ANALYTICS_DATABASE_URL, a read-only handle on a replica. The main thread opens them with
 * DB_POOL_SIZE connections each; every analysis worker opens its own with ANALYSIS_DB_POOL_SIZE.
 */
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';

export interface PostgresDatabases {
  database: DatabaseHandle;
  analytics?: DatabaseHandle;
}

/** Opens the primary (migrated when `migrate`) and the replica, each with `poolSize` connections. */
export async function openPostgresDatabases(
  config: Config & { databaseUrl: string },
  options: { poolSize: number; migrate: boolean },
): Promise<PostgresDatabases> {
  const pool = { poolSize: options.poolSize, connectTimeoutMs: config.connectTimeoutMs, idleInTransactionTimeoutMs: config.idleInTransactionTimeoutMs };
  const database = await openDatabase(
    { kind: 'postgres', url: config.databaseUrl, ...pool, statementTimeoutMs: config.statementTimeoutMs, queryTimeoutMs: config.queryTimeoutMs },
    { migrate: options.migrate },
  );
  if (!config.analyticsDatabaseUrl) return { database };
  // Never migrated (a replica follows the primary) and read-only even if pointed at the primary.
  const analytics = await openDatabase(
    {
      kind: 'postgres',
      url: config.analyticsDatabaseUrl,
      ...pool,
      statementTimeoutMs: config.analyticsStatementTimeoutMs,
      queryTimeoutMs: config.analyticsQueryTimeoutMs,
      readOnly: true,
    },
    { migrate: false },
  );
  return { database, analytics };
}

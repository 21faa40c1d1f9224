/**
 * What a query function runs on: the database itself, or a transaction opened on it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** The database or a transaction: a query function taking a `Db` runs inside its caller's transaction when given one. */
export type Db = Kysely<Database> | Transaction<Database>;

/**
 * The throwaway databases of the benchmark. The admin URL (BENCH_DATABASE_URL) is only used to
 * CREATE and DROP `fat_bench_<pid>`; nothing is written to the admin database itself.
 */
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://root@127.0.0.1:5432/test';

export class BenchDatabases {
  private readonly created = new Set<string>();

  private constructor(
    private readonly admin: pg.Client,
    private readonly adminUrl: string,
  ) {}

  static async connect(adminUrl: string): Promise<BenchDatabases> {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    return new BenchDatabases(admin, adminUrl);
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.admin.query<{ version: string }>('select version()');
    return rows[0]!.version;
  }

  /** Creates an empty database (dropping a leftover of the same name) and returns its URL. */
  async create(name: string): Promise<string> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
    await this.drop(name);
    await this.admin.query(`create database "${name}"`);
    this.created.add(name);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** Drops a bench database, closing any session still connected to it. */
  async drop(name: string): Promise<void> {
    await this.admin.query(`drop database if exists "${name}" with (force)`);
    this.created.delete(name);
  }

  /** Drops every database this run created and closes the admin connection. */
  async close(): Promise<void> {
    for (const name of [...this.created]) {
      try {
        await this.drop(name);
      } catch (error) {
        process.stderr.write(`could not drop ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    await this.admin.end();
  }
}

/** The URL with any password hidden, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

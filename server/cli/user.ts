/**
 * `assess user add --email <e> --role <admin|analyst|observer>`: creates an Assessment Team
 * account and prints a one-time link (valid 72 hours) with which its owner sets a password.
 */
import { addUser, USER_ROLES } from '../accounts/account-service.ts';
import type { UserRole } from '../db/schema.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';

export async function userAddCommand(options: { email?: string; role?: string }, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!options.email || !options.role) {
    out.error(`Usage: npm run assess -- user add --email <e-mail> --role <${USER_ROLES.join('|')}>`);
    return EXIT.usage;
  }
  return withCliDatabase(env, out, async ({ db }, config) => {
    const { user, token } = await addUser(db, { email: options.email!, role: options.role as UserRole, actor: 'cli' }, new Date());
    out.log(`Created ${user.role} account ${user.email}. Send this one-time link (valid 72 hours) to set a password:`);
    out.log(`  ${config.publicUrl}/admin/setup/${token}`);
    return EXIT.ok;
  });
}

/**
 * The `assess` command line: `npm run assess -- <command> [options]`.
 */
import { parseArgs } from 'node:util';
import { inviteCommand, inviteLinkCommand, type CliOutput } from './invite.ts';
import { surveysCheck } from './surveys-check.ts';
import { userAddCommand } from './user.ts';

const USAGE = `Usage: npm run assess -- <command> [options]

Commands:
  surveys check [--dir <folder>]                       validate every questionnaire file
  invite --survey <id> --csv <file> [--out <file>]     import invitees and write their links
                                                       (columns: name, kind, country, roles, org_type, email)
  invite revoke --survey <id> (--email <e> | --country <ISO>)
                                                       revoke an invitee's links
  invite reissue --survey <id> (--email <e> | --country <ISO>)
                                                       revoke an invitee's links and print a new one

  user add --email <e> --role <admin|analyst|observer>
                                                       create an Assessment Team account; prints a
                                                       one-time link to set its password

Exit codes: 0 done, 1 bad input (nothing changed), 2 usage error or database in use.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      survey: { type: 'string' },
      csv: { type: 'string' },
      out: { type: 'string' },
      email: { type: 'string' },
      country: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
  });
  const [command, sub] = positionals;
  const out: CliOutput = { log: (l) => console.log(l), error: (l) => console.error(l), write: (t) => process.stdout.write(t) };
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  if (command === 'surveys' && sub === 'check') {
    return surveysCheck(text('dir') ?? 'survey-definitions', out);
  }
  if (command === 'invite' && sub === undefined && !values.help) {
    return inviteCommand({ survey: text('survey'), csv: text('csv'), out: text('out') }, out);
  }
  if (command === 'invite' && (sub === 'revoke' || sub === 'reissue') && !values.help) {
    return inviteLinkCommand(sub, { survey: text('survey'), email: text('email'), country: text('country') }, out);
  }
  if (command === 'user' && sub === 'add' && !values.help) {
    return userAddCommand({ email: text('email'), role: text('role') }, out);
  }
  process.stdout.write(USAGE);
  return values.help ? 0 : 2;
}

process.exitCode = await main(process.argv.slice(2));

/**
 * The `assess` command line: `npm run assess -- <command> [options]`.
 */
import { parseArgs } from 'node:util';
import { backupCommand, restoreCommand } from './backup.ts';
import { demoCommand } from './demo.ts';
import { analyzeCommand } from './analyze.ts';
import { dataCommand } from './data.ts';
import { exportCommand } from './export.ts';
import { inviteCommand, inviteLinkCommand, type CliOutput } from './invite.ts';
import { phaseOpenCommand } from './phase-open.ts';
import { mailResealCommand, mailSendCommand, mailStatusCommand, remindCommand } from './mail.ts';
import { surveysCheck } from './surveys-check.ts';
import { releaseCreateCommand, releaseListCommand } from './release.ts';
import { talliesCommand } from './tallies.ts';
import { trendsCommand } from './trends.ts';
import { userAddCommand } from './user.ts';
import { xlsformExportCommand, xlsformImportCommand } from './xlsform.ts';

const USAGE = `Usage: npm run assess -- <command> [options]

Commands:
  surveys check [--dir <folder>]                       validate every questionnaire file
  invite --survey <id> --csv <file> [--out <file>] [--send]
                                                       import invitees and write their links
                                                       (columns: name, kind, country, roles, org_type,
                                                       email, language); --send e-mails them
  invite revoke --survey <id> (--email <e> | --country <ISO>)
                                                       revoke an invitee's links
  phase open --survey <new-id> --from <earlier-id> [--out <file>] [--send]
                                                       invite the earlier phase's respondents to the
                                                       new phase's questionnaire (same government or
                                                       organisation, linked; revoked links and kinds
                                                       outside its audience left out) and write their
                                                       new links; nobody is carried twice
  invite reissue --survey <id> (--email <e> | --country <ISO>) [--send]
                                                       revoke an invitee's links and print (or
                                                       e-mail) a new one
  remind --survey <id> [--amended] [--kind <k>] [--region <r>] [--role <r>] [--round <name>]
                                                       e-mail a reminder to invitees who have not
                                                       submitted (--amended: changes not resubmitted);
                                                       once per round
  mail send                                            send the e-mail due now
  mail status [--survey <id>]                          messages queued, sending, sent, retrying, failed
  mail reseal                                          encrypt stored links with the first key of
                                                       MAIL_TOKEN_KEY_FILE (key rotation)

  demo --responses <n> [--seed <s>] [--force]         fill the database with SYNTHETIC invitations
                                                       and responses, to try the dashboard; refuses
                                                       a database that holds data unless --force

  user add --email <e> --role <admin|analyst|observer>
                                                       create an Assessment Team account; prints a
                                                       one-time link to set its password

  analyze --survey <id> [--by kind|region|role] [--json]
          [--kind <k,…>] [--region <r,…>] [--role <r,…>] [--status submitted|all]
                                                       figures per question (submitted, not excluded
                                                       responses); --by adds group comparisons
  trends --from <id> --to <id> [--by kind|region|role] [--json]
          [--kind <k,…>] [--region <r,…>] [--role <r,…>] [--status submitted|all]
                                                       what changed from an earlier phase's
                                                       questionnaire to a later one's, on every
                                                       question tied by a trend_key: both phases,
                                                       paired tests over those who answered both

  release create --survey <id> --name <text> [--final] [--k <n>] [--trend-from <release id>]
                                                       freeze the submitted responses and publish
                                                       their figures, protected jointly with every
                                                       earlier release; prints the release id last;
                                                       --trend-from adds the change since a release
                                                       of an earlier phase (tied questions)
  release list --survey <id>                           id, time, responses, name and content hash

  export --release <id> --out <folder>                 the public bundle of a release: tables.csv,
                                                       release.json, risk-check.json, README.txt;
                                                       responses.csv and codebook.csv only for a
                                                       final release whose rows pass the risk check,
                                                       once per questionnaire version
  export --survey <id> --out <folder> --recipient <name> --purpose <text>
         [--k <n>] [--reproducible | --seed <hex>]     restricted-use bundle (never to be published):
                                                       responses-restricted.csv, codebook-restricted.csv,
                                                       tables-restricted.csv, manifest.json, README.txt
                                                       (k >= 3, default 5); recorded as issued

  data --survey <id> --out <folder> [--language en|fr|es] [--values labels|codes]
                                                       the team's CONFIDENTIAL working data: every
                                                       submitted, non-excluded response coded, with
                                                       labels.sps (SPSS, PSPP), labels.do (Stata),
                                                       labels.R and results.xlsx

  backup <file> [--force]                              the whole database as one gzip'd file
                                                       (portable between PGlite and PostgreSQL), signed
                                                       with the backup key (BACKUP_KEY_FILE, made if missing)
  restore <file> [--replace]                           load a backup into an empty database, once its
                                                       signature checks with the backup key;
                                                       --replace wipes the database's data first
  tallies (--check | --rebuild)                        compare the dashboard's running counts with
                                                       the answers, or recompute them

  xlsform import <file.xlsx> --out <survey.yaml> [--dir <folder>]
                                                       convert an XLSForm (Kobo, ODK) into a
                                                       questionnaire file; lists what it cannot carry
                                                       over (sheet, row, column) and writes nothing if
                                                       any of it is essential
  xlsform export --survey <id> --out <file.xlsx> [--from-files [--dir <folder>]]
                                                       the stored current version (or the file) as an
                                                       XLSForm for KoboCollect / ODK Collect

Exit codes: 0 done, 1 bad input (nothing changed), 2 usage error or database in use.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      survey: { type: 'string' },
      from: { type: 'string' },
      csv: { type: 'string' },
      out: { type: 'string' },
      email: { type: 'string' },
      country: { type: 'string' },
      role: { type: 'string' },
      responses: { type: 'string' },
      seed: { type: 'string' },
      recipient: { type: 'string' },
      purpose: { type: 'string' },
      force: { type: 'boolean' },
      by: { type: 'string' },
      kind: { type: 'string' },
      region: { type: 'string' },
      status: { type: 'string' },
      json: { type: 'boolean' },
      k: { type: 'string' },
      reproducible: { type: 'boolean' },
      replace: { type: 'boolean' },
      check: { type: 'boolean' },
      name: { type: 'string' },
      final: { type: 'boolean' },
      'trend-from': { type: 'string' },
      release: { type: 'string' },
      rebuild: { type: 'boolean' },
      to: { type: 'string' },
      language: { type: 'string' },
      values: { type: 'string' },
      'from-files': { type: 'boolean' },
      send: { type: 'boolean' },
      amended: { type: 'boolean' },
      round: { type: 'string' },
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
    return inviteCommand({ survey: text('survey'), csv: text('csv'), out: text('out'), send: values.send === true }, out);
  }
  if (command === 'invite' && (sub === 'revoke' || sub === 'reissue') && !values.help) {
    return inviteLinkCommand(sub, { survey: text('survey'), email: text('email'), country: text('country'), send: values.send === true }, out);
  }
  if (command === 'phase' && sub === 'open' && !values.help) {
    return phaseOpenCommand({ survey: text('survey'), from: text('from'), out: text('out'), send: values.send === true }, out);
  }
  if (command === 'remind' && sub === undefined && !values.help) {
    return remindCommand(
      { survey: text('survey'), amended: values.amended === true, kind: text('kind'), region: text('region'), role: text('role'), round: text('round') },
      out,
    );
  }
  if (command === 'mail' && sub === 'send' && !values.help) return mailSendCommand(out);
  if (command === 'mail' && sub === 'status' && !values.help) return mailStatusCommand({ survey: text('survey') }, out);
  if (command === 'mail' && sub === 'reseal' && !values.help) return mailResealCommand(out);
  if (command === 'demo' && sub === undefined && !values.help) {
    return demoCommand({ responses: text('responses'), seed: text('seed'), force: values.force === true }, out);
  }
  if (command === 'user' && sub === 'add' && !values.help) {
    return userAddCommand({ email: text('email'), role: text('role') }, out);
  }
  if (command === 'analyze' && sub === undefined && !values.help) {
    return analyzeCommand(
      {
        survey: text('survey'),
        by: text('by'),
        kind: text('kind'),
        region: text('region'),
        role: text('role'),
        status: text('status'),
        json: values.json === true,
      },
      out,
    );
  }
  if (command === 'trends' && sub === undefined && !values.help) {
    return trendsCommand(
      {
        from: text('from'),
        to: text('to'),
        by: text('by'),
        kind: text('kind'),
        region: text('region'),
        role: text('role'),
        status: text('status'),
        json: values.json === true,
      },
      out,
    );
  }
  if (command === 'export' && sub === undefined && !values.help) {
    return exportCommand(
      {
        survey: text('survey'),
        ...(text('release') !== undefined ? { release: text('release')! } : {}),
        out: text('out'),
        k: text('k'),
        seed: text('seed'),
        reproducible: values.reproducible === true,
        recipient: text('recipient'),
        purpose: text('purpose'),
      },
      out,
    );
  }
  if (command === 'data' && sub === undefined && !values.help) {
    return dataCommand({ survey: text('survey'), out: text('out'), language: text('language'), values: text('values') }, out);
  }
  if (command === 'release' && sub === 'create' && !values.help) {
    return releaseCreateCommand({ survey: text('survey'), name: text('name'), final: values.final === true, k: text('k'), trendFrom: text('trend-from') }, out);
  }
  if (command === 'release' && sub === 'list' && !values.help) {
    return releaseListCommand({ survey: text('survey') }, out);
  }
  if (command === 'backup' && !values.help) {
    return backupCommand({ file: sub, force: values.force === true }, out);
  }
  if (command === 'restore' && !values.help) {
    return restoreCommand({ file: sub, replace: values.replace === true }, out);
  }
  if (command === 'tallies' && sub === undefined && !values.help) {
    return talliesCommand({ check: values.check === true, rebuild: values.rebuild === true }, out);
  }
  if (command === 'xlsform' && sub === 'import' && !values.help) {
    return xlsformImportCommand({ file: positionals[2], out: text('out'), dir: text('dir') ?? 'survey-definitions' }, out);
  }
  if (command === 'xlsform' && sub === 'export' && !values.help) {
    return xlsformExportCommand(
      { survey: text('survey'), out: text('out'), fromFiles: values['from-files'] === true, dir: text('dir') ?? 'survey-definitions' },
      process.env,
      out,
    );
  }
  process.stdout.write(USAGE);
  return values.help ? 0 : 2;
}

process.exitCode = await main(process.argv.slice(2));

/**
 * `assess invite`: imports invitees from a CSV file and writes their links; `assess invite revoke`
 * and `assess invite reissue` maintain one respondent's link.
 *
 * On the embedded database (PGlite) the command takes the data folder's lock first, so it never
 * opens the folder while the server has it open; it stops with a message that says what to do.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findCountry } from '../../survey-definitions/countries.ts';
import { importInvitees, reissueLink, revokeLink } from '../respondents/import-invitees.ts';
import { linksCsv } from '../respondents/links-csv.ts';
import { findRespondentIds } from '../respondents/respondents.queries.ts';
import { queueInvitations } from '../mail/mail.queries.ts';
import { senderSettingsFromConfig } from '../mail/mail-setup.ts';
import { loadTokenKeyring } from '../respondents/sealed-tokens.ts';
import { syncDefinitions } from '../surveys/sync-definitions.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';
import { withLinksOutput } from './links-file.ts';
import { sendQueuedMail } from './mail.ts';

export { EXIT, type CliOutput };
// Kept importable from here: the links file and the formula guard predate their own modules.
export { linksCsv } from '../respondents/links-csv.ts';
export { neutraliseFormula } from '../csv/csv.ts';

/** Largest CSV file read, in bytes: 5,000 rows of six 300-character fields fit well below it. */
const MAX_CSV_BYTES = 20 * 1024 * 1024;

/**
 * `assess invite --survey <id> --csv <file> [--out <file>]`: publishes the questionnaire files,
 * imports every row of the file (or none if any is bad, printing each as `file:line: column: message`)
 * and writes the rows with their `link` column as UTF-8 CSV with a byte order mark, to `--out`
 * (which must not exist yet: links cannot be shown twice, so an old file is never overwritten) or
 * to standard output.
 */
export async function inviteCommand(
  options: { survey?: string; csv?: string; out?: string; send?: boolean },
  out: CliOutput,
  env = process.env,
): Promise<number> {
  const { survey, csv } = options;
  if (!survey || !csv) {
    out.error('Usage: npm run assess -- invite --survey <id> --csv <file> [--out <file>] [--send]');
    return EXIT.usage;
  }
  const csvText = readCsv(csv, out);
  if (csvText === undefined) return EXIT.badInput;
  // The links file is created before importing: if it cannot be written, nothing is imported and no link is lost.
  return withLinksOutput(options.out, out, (writeLinks) =>
    withCliDatabase(env, out, async (handle, config) => {
      const sync = await syncDefinitions(handle.db, config.surveysDir);
      for (const p of sync.problems) out.error(`warning: ${path.join(config.surveysDir, p.file)}: ${p.path}: ${p.message}`);
      // Every link is also kept sealed with the mail token key, so that e-mail can carry it later.
      const tokenKeyring = await loadTokenKeyring(config.mail.tokenKeyFile);
      const result = await importInvitees(handle.db, { surveyId: survey, csvText, publicUrl: config.publicUrl, actor: 'cli', tokenKeyring });
      if (!result.ok) {
        for (const e of result.errors) out.error(`${csv}:${e.line}: ${e.column !== undefined ? `${e.column}: ` : ''}${e.message}`);
        out.error(`${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} in ${csv}; nothing was imported.`);
        return EXIT.badInput;
      }
      writeLinks(linksCsv(result.columns, result.rows));
      const n = result.rows.length;
      out.error(
        `Imported ${n} invitee${n === 1 ? '' : 's'} for ${survey}; links written to ${options.out ?? 'standard output'}.` +
          ' Keep this file safe: the links are not stored in plain text and cannot be shown again.',
      );
      if (options.send) {
        const { queued } = await queueInvitations(handle.db, { surveyId: survey, actor: 'cli' });
        out.error(`Queued ${queued} invitation e-mail(s) (invitees with an e-mail address).`);
        await sendQueuedMail(handle.db, await senderSettingsFromConfig(config), out);
      }
      return EXIT.ok;
    }),
  );
}

/**
 * `assess invite revoke|reissue --survey <id> (--email <address> | --country <ISO>)`: revokes the
 * links of the matching respondents; `reissue` also prints a new link for each (one per line).
 */
export async function inviteLinkCommand(
  action: 'revoke' | 'reissue',
  options: { survey?: string; email?: string; country?: string; send?: boolean },
  out: CliOutput,
  env = process.env,
): Promise<number> {
  const { survey, email, country } = options;
  if (!survey || (email === undefined) === (country === undefined) || (options.send && action === 'revoke')) {
    out.error(`Usage: npm run assess -- invite ${action} --survey <id> (--email <address> | --country <ISO code>)${action === 'reissue' ? ' [--send]' : ''}`);
    return EXIT.usage;
  }
  const countryCode = country === undefined ? undefined : findCountry(country)?.code;
  if (country !== undefined && !countryCode) {
    out.error(`Unknown country '${country}'; use an ISO 3166-1 code such as KE or KEN.`);
    return EXIT.badInput;
  }
  return withCliDatabase(env, out, async (handle, config) => {
    const by = countryCode ? { country: countryCode } : { email: email as string };
    const ids = await findRespondentIds(handle.db, survey, by);
    if (!ids.length) {
      out.error(`No invitee of ${survey} ${countryCode ? `is the government of ${countryCode}` : `has the email ${email}`}.`);
      return EXIT.badInput;
    }
    const tokenKeyring = await loadTokenKeyring(config.mail.tokenKeyFile);
    for (const respondentId of ids) {
      if (action === 'revoke') {
        const { revokedInvitationIds } = await revokeLink(handle.db, { respondentId }, { actor: 'cli' });
        out.error(
          `Respondent ${respondentId}: ${revokedInvitationIds.length ? `revoked ${revokedInvitationIds.length} link(s)` : 'no working link to revoke'}.`,
        );
      } else {
        const { link } = await reissueLink(handle.db, { respondentId }, { actor: 'cli', publicUrl: config.publicUrl, tokenKeyring });
        if (options.send) {
          const { queued } = await queueInvitations(handle.db, { surveyId: survey, actor: 'cli', respondentIds: [respondentId] });
          out.error(
            `Respondent ${respondentId}: old links revoked; ${queued ? 'the new link is e-mailed to the invitee' : 'no e-mail address, the new link is printed below'}.`,
          );
          if (!queued) out.log(link);
        } else {
          out.log(link);
          out.error(`Respondent ${respondentId}: old links revoked, new link printed above. It is not stored in plain text and cannot be shown again.`);
        }
      }
    }
    if (options.send) await sendQueuedMail(handle.db, await senderSettingsFromConfig(config), out);
    return EXIT.ok;
  });
}

function readCsv(file: string, out: CliOutput): string | undefined {
  try {
    if (statSync(file).size > MAX_CSV_BYTES) {
      out.error(`${file} is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it into several files.`);
      return undefined;
    }
    const bytes = readFileSync(file);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      out.error(`${file} is not UTF-8 text; save it as "CSV UTF-8 (comma delimited)" so that names keep their accents.`);
      return undefined;
    }
  } catch (error) {
    out.error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
}

/**
 * `assess phase open --survey <new-id> --from <earlier-id> [--out <links.csv>]`: carries the
 * respondents of an earlier phase's questionnaire into a later phase's and writes their new links.
 */
import path from 'node:path';
import { INVITEE_COLUMNS } from '../respondents/invitee-csv.ts';
import { linksCsv } from '../respondents/links-csv.ts';
import { countReasons, openPhase, type PhaseOpenResult } from '../respondents/phase-open.ts';
import { syncDefinitions } from '../surveys/sync-definitions.ts';
import { queueInvitations } from '../mail/mail.queries.ts';
import { loadTokenKeyring } from '../respondents/sealed-tokens.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';
import { withLinksOutput } from './links-file.ts';

const REASONS = {
  revoked: 'their links were revoked',
  not_in_audience: 'their kind is not in the new questionnaire’s audience',
  no_email: 'they registered themselves without an e-mail address (nobody could send them a link; they can register again)',
  repeated_registration: 'repeated registrations of an organisation (its first registration is carried)',
  conflict: 'conflicts to resolve by hand',
} as const;

/**
 * Publishes the questionnaire files, carries the respondents (one transaction), writes the links
 * of those carried as the CSV `invite` writes (to `--out`, which must not exist yet, or to
 * standard output) and prints a summary on standard error.
 */
export async function phaseOpenCommand(
  options: { survey?: string; from?: string; out?: string; send?: boolean },
  out: CliOutput,
  env = process.env,
): Promise<number> {
  const { survey, from } = options;
  if (!survey || !from) {
    out.error('Usage: npm run assess -- phase open --survey <new-id> --from <earlier-id> [--out <file>] [--send]');
    return EXIT.usage;
  }
  // The links file is created first: if it cannot be written, nobody is carried and no link is lost.
  return withLinksOutput(options.out, out, (writeLinks) =>
    withCliDatabase(env, out, async (handle, config) => {
      const sync = await syncDefinitions(handle.db, config.surveysDir);
      for (const p of sync.problems) out.error(`warning: ${path.join(config.surveysDir, p.file)}: ${p.path}: ${p.message}`);
      const tokenKeyring = await loadTokenKeyring(config.mail.tokenKeyFile);
      const result = await openPhase(handle.db, { surveyId: survey, fromSurveyId: from, publicUrl: config.publicUrl, actor: 'cli', tokenKeyring });
      writeLinks(linksCsv(INVITEE_COLUMNS, result.carried));
      for (const line of phaseOpenSummary(result, options.out ?? 'standard output')) out.error(line);
      if (options.send) {
        const { queued } = await queueInvitations(handle.db, { surveyId: survey, actor: 'cli', respondentIds: result.carried.map((c) => c.respondentId) });
        out.error(`Queued ${queued} invitation e-mail(s) to those carried with an e-mail address.`);
      }
      return EXIT.ok;
    }),
  );
}

/** The summary printed after a run: counts first, then each respondent left out for a conflict. */
export function phaseOpenSummary(result: PhaseOpenResult, linksTo: string): string[] {
  const counts = countReasons(result.leftOut);
  const lines = [
    `Carried ${result.carried.length} respondent${result.carried.length === 1 ? '' : 's'} of ${result.fromSurveyId} into ${result.surveyId}; their new links are written to ${linksTo}. Keep it safe: the links are not stored and cannot be shown again.`,
    `Already there: ${result.linked.length + result.alreadyCarried.length} (${result.linked.length} invited to ${result.surveyId} directly, linked now to their earlier respondent; ${result.alreadyCarried.length} carried before).`,
    `Left out: ${result.leftOut.length}.`,
  ];
  for (const [reason, text] of Object.entries(REASONS) as [keyof typeof REASONS, string][]) {
    if (counts[reason]) lines.push(`  ${counts[reason]}: ${text}`);
  }
  for (const l of result.leftOut) {
    if (l.reason === 'conflict') lines.push(`  conflict: respondent ${l.respondentId} (${l.name}) ${l.detail ?? ''}`.trimEnd());
  }
  return lines;
}

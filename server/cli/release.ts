/**
 * `assess release create --survey <id> --name <text> [--final] [--k <n>]` and
 * `assess release list --survey <id>`: the unit of publication, made and listed from the command line.
 * A refused release (an AppError) is reported and exits 1 by withCliDatabase.
 */
import { createRelease, listReleases } from '../releases/release-service.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';

export async function releaseCreateCommand(
  options: { survey?: string | undefined; name?: string | undefined; final?: boolean; k?: string | undefined; trendFrom?: string | undefined },
  out: CliOutput,
): Promise<number> {
  const trendFrom = options.trendFrom === undefined ? undefined : Number(options.trendFrom);
  if (!options.survey || !options.name || (trendFrom !== undefined && !Number.isInteger(trendFrom))) {
    out.error('Usage: npm run assess -- release create --survey <id> --name <text> [--final] [--k <n>] [--trend-from <release id>]');
    return EXIT.usage;
  }
  const threshold = options.k === undefined ? undefined : Number(options.k);
  return withCliDatabase(process.env, out, async ({ db }) => {
    const started = Date.now();
    const release = await createRelease(db, {
      surveyId: options.survey!,
      name: options.name!,
      final: options.final === true,
      actor: 'cli',
      ...(threshold === undefined ? {} : { threshold }),
      ...(trendFrom === undefined ? {} : { trendFrom }),
    });
    const s = release.summary;
    out.log(
      `Release ${release.id} of '${options.survey}': ${release.responses} responses, ${s.cells} counts of which ${s.fewerThanK} fewer than the threshold and ${s.withheld} withheld.`,
    );
    if (s.changedGroups.length) out.log(`Withheld whole because they changed by too few responses since an earlier release: ${s.changedGroups.join(', ')}.`);
    out.log(
      `Checked by the exact attacker: ${s.audited} hidden counts (${s.addedByAudit} more hidden after the check), in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    if (trendFrom !== undefined) out.log(`Compared with release ${trendFrom} of the earlier phase: ${release.trendTables} tables of tied questions.`);
    out.log(`Content hash: ${release.contentHash}`);
    out.log(String(release.id));
    return EXIT.ok;
  });
}

export async function releaseListCommand(options: { survey?: string | undefined }, out: CliOutput): Promise<number> {
  if (!options.survey) {
    out.error('Usage: npm run assess -- release list --survey <id>');
    return EXIT.usage;
  }
  return withCliDatabase(process.env, out, async ({ db }) => {
    const releases = await listReleases(db, options.survey!);
    if (releases.length === 0) out.log(`No release of '${options.survey}' yet.`);
    for (const r of releases) {
      out.log(`${r.id}\t${new Date(r.created_at).toISOString()}\t${r.responses} responses\t${r.final ? 'final\t' : ''}${r.name}\t${r.content_hash}`);
    }
    return EXIT.ok;
  });
}

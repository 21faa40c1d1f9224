/** @jsxImportSource hono/jsx */
/**
 * The printable report of one questionnaire, for the Assessment Team to print to PDF and attach to
 * its report to the High Level Dialogue: title, method (who was asked, how figures were computed,
 * what was hidden), then one block per published question with a chart and the same figures in a
 * table. A light A4 document: the print rules are in styles.css ("Printable report").
 */
import { AdminHead } from './admin-layout.tsx';
import { LABEL_WRAP, WITHHELD, type ReportModel, type ReportQuestion, type ReportTable } from '../../analysis/report-model.ts';

/** `2026-03-02` → `2 March 2026`, in UTC (the day only: no time of the data is published). */
function longDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}

/** A count hidden as a release or the live figures word it ("fewer than 5", "withheld"). */
const HIDDEN_WORDS = new RegExp(`^(?:fewer than \\d+|${WITHHELD})$`);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function DataTable({ table, id }: { table: ReportTable; id?: string }) {
  return (
    <table class="data report-table" id={id}>
      <caption>{table.caption}</caption>
      <thead>
        <tr>
          {table.headers.map((h, i) => (
            <th scope="col" class={i === 0 ? undefined : 'num'}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows
          .filter((row) => !row.apart)
          .map((row) => (
            <DataRow row={row} />
          ))}
      </tbody>
      {/* One base per column: the rows apart ("don't know") have their own, said in their heading. */}
      {table.rows.some((row) => row.apart) ? (
        <tbody class="apart">
          {table.apartHeading ? (
            <tr class="apart-heading">
              <th scope="rowgroup" colspan={table.headers.length}>
                {table.apartHeading}
              </th>
            </tr>
          ) : null}
          {table.rows
            .filter((row) => row.apart)
            .map((row) => (
              <DataRow row={row} />
            ))}
        </tbody>
      ) : null}
    </table>
  );
}

function DataRow({ row }: { row: ReportTable['rows'][number] }) {
  return (
    <tr class={row.apart ? 'non-substantive' : row.base ? 'base' : undefined}>
      <th scope="row">{row.label}</th>
      {row.cells.map((cell) => (
        <td class={HIDDEN_WORDS.test(cell) ? 'num hidden-count' : 'num'}>{cell.replace(/^(fewer than) (\d+)$/, '$1\u00a0$2')}</td>
      ))}
    </tr>
  );
}

function Method({ m }: { m: ReportModel }) {
  const left = m.leftOut;
  return (
    <section class="report-method" aria-labelledby="method">
      <h2 id="method">Method</h2>
      <h3>Who was asked</h3>
      {m.source.kind === 'live' ? (
        <p>
          The questionnaire “{m.title}” (version {m.version}) was open from {longDay(m.window.opens)} to {longDay(m.window.closes)}. The tables below count the
          respondents invited (or, where the questionnaire allowed it, registered) and the responses analysed; the response rate is the second as a share of the
          first.
        </p>
      ) : (
        <p>
          The questionnaire “{m.title}” (version {m.version}) was open from {longDay(m.window.opens)} to {longDay(m.window.closes)}. Release {m.source.id}, “
          {m.source.name}”, froze on {longDay(m.dataDay)} the latest submitted answers of every response the Assessment Team had not excluded. The tables below
          count its responses; this report shows the figures of <strong>{m.source.groupLabel}</strong>.
        </p>
      )}
      <DataTable table={m.byKind} id="rates-kind" />
      <DataTable table={m.byRegion} id="rates-region" />
      <h3>How the figures were computed</h3>
      <ul>
        <li>
          Only submitted responses count: <strong>{m.responses}</strong> in all.
          {m.excluded === null ? null : <> Responses the Assessment Team excluded (duplicates, tests, spam) are left out ({m.excluded} excluded).</>}
        </li>
        <li>
          Shares are of the respondents who gave a view on the question, so a single choice’s add to 100% (those the questionnaire did not ask, by its skip
          logic, those who gave no answer and those who answered only “Don’t know” are not in the base). Each table says its bases in words under it.
        </li>
        <li>Every share comes with its 95% Wilson score interval. Means of scale values and numbers come with a 95% interval from Student’s t distribution.</li>
        <li>
          “Don’t know”, “no basis to judge” and similar answers are reported apart, each with its share of all who answered the question: they enter no other
          share, no mean and no median.
        </li>
        <li>A question answered by several versions of the questionnaire is counted over all of them, with the wording of the current version.</li>
      </ul>
      <h3>What was withheld</h3>
      <ul>
        {m.source.kind === 'live' ? (
          <li>
            <strong>Confidential.</strong> These are the live, exact figures of the Assessment Team: no count is hidden, and nothing here may be published.
            Publish from a release.
          </li>
        ) : (
          <li>
            No count from 1 to {m.source.threshold - 1} is published: such a count reads “fewer than {m.source.threshold}”, with the shares, intervals and
            averages that rest on it. Counts hidden so that no hidden count can be worked out from the others, in this release, in its other groups or together
            with an earlier release, read “{WITHHELD}”: they may be any size. In all, <strong id="hidden-cells">{plural(m.hiddenCells, 'figure')}</strong> of
            this report {m.hiddenCells === 1 ? 'is' : 'are'} hidden. An average is shown only where every count it rests on is.
          </li>
        )}
        <li>Free-text answers are not included ({plural(left.text, 'question')}).</li>
        <li>
          Questions that identify a respondent are left out: {plural(left.country, 'country question')} and{' '}
          {plural(left.identifying, 'other identifying question')}.
        </li>
      </ul>
    </section>
  );
}

function Question({ q }: { q: ReportQuestion }) {
  const chartId = `chart-${q.id}`;
  return (
    <article class="report-question" id={`r-${q.id}`} aria-labelledby={`h-${q.id}`}>
      <h4 id={`h-${q.id}`}>
        {q.number}. {q.text}
      </h4>
      {q.answered === null ? <p class="hint">Each row’s respondents are in the table.</p> : <p class="hint">Answered by {q.answered} respondents.</p>}
      <figure class="report-chart">
        {q.chart ? (
          <canvas
            id={chartId}
            width={q.chart.width}
            height={q.chart.height}
            data-report-series={JSON.stringify(q.chart.series)}
            data-label-wrap={String(LABEL_WRAP)}
            role="img"
            aria-label={`Chart: ${q.text} (the table below gives the same figures)`}
          ></canvas>
        ) : (
          <p class="hint no-chart">No chart: no figure of this question can be published (see the table).</p>
        )}
      </figure>
      {q.stats.length ? (
        <dl class="stats">
          {q.stats.map((s) => (
            <>
              <dt>{s.label}</dt>
              <dd>{s.value}</dd>
            </>
          ))}
        </dl>
      ) : null}
      <DataTable table={q.table} />
      {q.table.note ? <p class="hint base-note">{q.table.note}</p> : null}
    </article>
  );
}

/** The whole report as one document (no admin navigation: it is meant to be printed). */
export function ReportPage({ m }: { m: ReportModel }) {
  const title = m.source.kind === 'live' ? `Confidential report — ${m.title}` : `Report — ${m.title} — release ${m.source.id}`;
  return (
    <html lang="en">
      <AdminHead title={title} scripts={['/assets/report.js']} />
      <body class="report">
        <nav class="report-tools no-print" aria-label="Report">
          {m.source.kind === 'live' ? (
            <a href={`/admin/dashboard?survey=${m.surveyId}`}>Back to the dashboard</a>
          ) : (
            <>
              <a href={`/admin/releases/${m.source.id}`}>Back to release {m.source.id}</a>
              <form method="get" action={`/admin/releases/${m.source.id}/report`} class="inline">
                <label for="group">Group</label>{' '}
                <select id="group" name="group">
                  {m.source.groups.map((g) => (
                    <option value={g.id} selected={m.source.kind === 'release' && g.id === m.source.group}>
                      {g.label}
                    </option>
                  ))}
                </select>{' '}
                <button type="submit" class="secondary">
                  Show
                </button>
              </form>
            </>
          )}
          <button type="button" class="secondary" data-print hidden>
            Print or save as PDF
          </button>
        </nav>
        {m.source.kind === 'live' ? (
          <p class="confidential-mark" role="note">
            Confidential: live figures of the Assessment Team, not protected for publication
          </p>
        ) : null}
        <main id="main" class={m.source.kind === 'live' ? 'report-document confidential' : 'report-document'}>
          <header class="report-title">
            <p class="report-kicker">Global Forum on Migration and Development · Future of the Forum assessment</p>
            <h1>{m.title}</h1>
            <p class="report-meta">
              Questionnaire version {m.version} · Data as of <time datetime={m.dataDay}>{longDay(m.dataDay)}</time> · {m.responses} submitted responses analysed
            </p>
            {m.source.kind === 'release' ? (
              <p class="report-meta" id="release-source">
                Release {m.source.id}, “{m.source.name}”{m.source.final ? ' (final)' : ''} · {m.source.groupLabel} · content hash{' '}
                <code>{m.source.contentHash.slice(0, 16)}</code>
              </p>
            ) : null}
          </header>
          <Method m={m} />
          <section class="report-results" aria-labelledby="results">
            <h2 id="results">Results</h2>
            {m.sections.map((s) => (
              <section class="report-section" aria-labelledby={`s-${s.id}`}>
                <h3 id={`s-${s.id}`}>{s.title}</h3>
                {s.questions.map((q) => (
                  <Question q={q} />
                ))}
              </section>
            ))}
            {m.sections.length === 0 ? <p>No question of this questionnaire has published figures.</p> : null}
          </section>
          {m.trends ? (
            <section class="report-results report-trends" aria-labelledby="trends">
              <h2 id="trends">Change since {m.trends.phases[0]}</h2>
              <p>
                The questions asked in both phases, with the counts and shares published by release {m.trends.releaseId} ({m.trends.phases[0]}) and by this
                release ({m.trends.phases[1]}). Both phases count everyone who answered, whether or not they answered the other phase; a change is given only
                where both shares are shown.
              </p>
              {m.trends.questions.map((q) => (
                <section class="report-question" aria-label={q.text}>
                  <DataTable table={q.table} />
                  {q.table.note ? <p class="hint base-note">{q.table.note}</p> : null}
                </section>
              ))}
            </section>
          ) : null}
        </main>
      </body>
    </html>
  );
}

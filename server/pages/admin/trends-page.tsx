/** @jsxImportSource hono/jsx */
/**
 * The Trends page: two phases of the assessment side by side on every tied question, a chart of
 * both phases and a table of the same figures (shares with intervals, change, paired and overall
 * tests), the dashboard's filters, and a CSV of the page. The tables need no script.
 */
import { trendSeries } from '../../../analysis/chart-series.ts';
import type { AnalysisFilters, Segment } from '../../../analysis/results.ts';
import type { PhaseFigures, TrendItem, TrendsResult, TrendTest } from '../../../analysis/trend-results.ts';
import { roleLabel } from '../../respondents/respondent-labels.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { DataTable, KIND_LABELS, Notice } from './admin-parts.tsx';
import { Checkboxes, type FilterChoices } from './filter-form.tsx';

export interface TrendsPageModel {
  user: AdminUserView;
  /** Null when two questionnaires are not (yet) chosen. */
  result: TrendsResult | null;
  /** Every questionnaire, with its phase where it declares one. */
  questionnaires: { id: string; title: string; phase: number | null }[];
  from: string | undefined;
  to: string | undefined;
  by: Segment | undefined;
  filters: AnalysisFilters;
  choices: FilterChoices;
  /** The page's query string (for the CSV link), without `?`. */
  query: string;
}

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`);
/** A change with its sign ("+4.2", "−1.0"), and none when it rounds to nothing ("0.0"). */
const signed = (value: number, digits: number) => {
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 ? text : `${value < 0 ? '−' : '+'}${text}`;
};
const points = (change: number | null | undefined) => (change === null || change === undefined ? '—' : `${signed(change * 100, 1)} points`);
const num = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const signedNum = (value: number | null | undefined) => (value === null || value === undefined ? '—' : signed(value, 2));
const interval = (ci: [number, number] | null | undefined, share: boolean) =>
  ci ? `${share ? pct(ci[0]) : num(ci[0])} – ${share ? pct(ci[1]) : num(ci[1])}` : '—';
const pValue = (p: number | null | undefined) => (p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3));
const phaseName = (phase: TrendsResult['from']) => (phase.phase === null ? phase.title : String(phase.phase));

function PhaseForm(m: TrendsPageModel) {
  const select = (name: 'from' | 'to', label: string, value: string | undefined) => (
    <div class="form-row">
      <label for={`trend-${name}`}>{label}</label>
      <select id={`trend-${name}`} name={name}>
        {m.questionnaires.map((q) => (
          <option value={q.id} selected={q.id === value}>
            {q.title}
            {q.phase === null ? '' : ` (${q.phase})`}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form method="get" action="/admin/trends" class="filters" aria-label="Phases and filters">
      {select('from', 'Earlier phase', m.from)}
      {select('to', 'Later phase', m.to)}
      <div class="form-row">
        <label for="trend-by">Per group</label>
        <select id="trend-by" name="by">
          <option value="" selected={!m.by}>
            All respondents together
          </option>
          {(['kind', 'region', 'role'] as const).map((by) => (
            <option value={by} selected={m.by === by}>
              {{ kind: 'By stakeholder kind', region: 'By region', role: 'By GFMD role' }[by]}
            </option>
          ))}
        </select>
      </div>
      <Checkboxes
        name="kind"
        legend="Stakeholder kind"
        values={m.choices.kinds}
        selected={m.filters.kind}
        label={(k) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k}
      />
      <Checkboxes name="region" legend="Region (UN M49)" values={m.choices.regions} selected={m.filters.region} />
      <Checkboxes name="role" legend="GFMD role" values={m.choices.roles} selected={m.filters.role} label={roleLabel} />
      <fieldset class="filter-group">
        <legend>Status</legend>
        <label class="check">
          <input type="radio" name="status" value="submitted" checked={m.filters.status !== 'all'} /> submitted only
        </label>
        <label class="check">
          <input type="radio" name="status" value="all" checked={m.filters.status === 'all'} /> also in progress
        </label>
      </fieldset>
      <p class="actions">
        <button type="submit" class="primary">
          Show trends
        </button>
      </p>
    </form>
  );
}

function TestRow({ label, n, test, note }: { label: string; n: string; test: TrendTest | null; note?: string | undefined }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td class="num">{n}</td>
      {test ? (
        <>
          <td>{test.title}</td>
          <td class="num">{num(test.statistic)}</td>
          <td class="num">{pValue(test.p)}</td>
          <td class="num">{pValue(test.pAdjusted)}</td>
          <td class="num">
            {test.effect.value === null ? '—' : `${test.effect.title} ${num(test.effect.value)}${test.effect.label ? ` (${test.effect.label})` : ''}`}
          </td>
        </>
      ) : (
        <td colspan={5}>{note ?? 'No test'}</td>
      )}
    </tr>
  );
}

function FiguresTable({ item, phases }: { item: TrendItem; phases: readonly [string, string] }) {
  const rows: {
    label: string;
    earlier: PhaseFigures['distribution'][number] | undefined;
    later: PhaseFigures['distribution'][number] | undefined;
    change: number | null | undefined;
  }[] =
    item.measure === 'yes_no' || item.measure === 'option'
      ? [{ label: item.measure === 'yes_no' ? 'Yes' : 'Chose it', earlier: item.earlier.share, later: item.later.share, change: item.change.share }]
      : item.earlier.distribution.map((d, i) => ({ label: d.label, earlier: d, later: item.later.distribution[i], change: item.change.shares[i]?.change }));
  return (
    <DataTable
      caption="Shares of those who gave a view in each phase, with 95% intervals, and the change (later − earlier)"
      columns={['Answer', ...[phases[0], `${phases[0]} 95% interval`, phases[1], `${phases[1]} 95% interval`, 'Change'].map((label) => ({ label, num: true }))]}
    >
      <tbody>
        {rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            <td class="num">{pct(r.earlier?.share)}</td>
            <td class="num">{interval(r.earlier?.ci95, true)}</td>
            <td class="num">{pct(r.later?.share)}</td>
            <td class="num">{interval(r.later?.ci95, true)}</td>
            <td class="num">{points(r.change)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr class="base">
          <th scope="row">Gave a view</th>
          <td class="num">{item.earlier.n}</td>
          <td></td>
          <td class="num">{item.later.n}</td>
          <td></td>
          <td></td>
        </tr>
        {item.measure === 'scale' ? (
          <tr>
            <th scope="row">Mean</th>
            <td class="num">{num(item.earlier.mean)}</td>
            <td class="num">{interval(item.earlier.ci95, false)}</td>
            <td class="num">{num(item.later.mean)}</td>
            <td class="num">{interval(item.later.ci95, false)}</td>
            <td class="num">{signedNum(item.change.mean)}</td>
          </tr>
        ) : null}
        {item.change.topBox !== undefined ? (
          <tr>
            <th scope="row">Top box</th>
            <td class="num">{pct(item.earlier.topBox)}</td>
            <td></td>
            <td class="num">{pct(item.later.topBox)}</td>
            <td></td>
            <td class="num">{points(item.change.topBox)}</td>
          </tr>
        ) : null}
      </tfoot>
    </DataTable>
  );
}

function TrendChart({ items, id, title, phases }: { items: readonly TrendItem[]; id: string; title: string; phases: readonly [string, string] }) {
  const series = trendSeries(items, phases);
  if (!series) return <p class="hint no-chart">No chart: neither phase has an answer for the responses selected.</p>;
  return (
    <figure class="chart">
      <canvas
        id={id}
        data-series={JSON.stringify(series)}
        role="img"
        aria-label={`Chart: ${title}, ${phases[0]} and ${phases[1]}. The tables give the same figures.`}
      ></canvas>
      <figcaption class="downloads">
        <button type="button" class="secondary" data-png-for={id} hidden>
          Download PNG
        </button>
      </figcaption>
    </figure>
  );
}

function ItemTables({ item, phases }: { item: TrendItem; phases: readonly [string, string] }) {
  const title = `${item.text}${item.row ? ` — ${item.row.label}` : ''}`;
  return (
    <section class="result-table" aria-label={`Figures: ${title}`} tabindex={0}>
      <p class={`notice ${item.paired.test ? 'info' : 'preview'}`}>{item.summary}</p>
      <FiguresTable item={item} phases={phases} />
      <DataTable
        caption="Tests of the change (p-values Holm-adjusted across the page)"
        columns={[
          'Comparison',
          { label: 'Respondents', num: true },
          'Test',
          ...['Statistic', 'p', 'Holm-adjusted p', 'Effect size'].map((label) => ({ label, num: true })),
        ]}
      >
        <tbody>
          <TestRow
            label={`Paired (answered both phases)${item.paired.meanChange === undefined || item.paired.meanChange === null ? '' : `; mean change ${signedNum(item.paired.meanChange)}`}`}
            n={String(item.paired.n)}
            test={item.paired.test}
            note={item.paired.note}
          />
          <TestRow
            label="Overall (all respondents of each phase)"
            n={`${item.earlier.n} and ${item.later.n}`}
            test={item.overall.test}
            note={item.overall.note}
          />
        </tbody>
      </DataTable>
    </section>
  );
}

/**
 * One tied question: a single item (scale, yes/no, single choice) with its chart and tables; a
 * matrix row by row, each with its chart; a multiple choice with one chart of all its options and
 * the tables of each.
 */
function QuestionTrend({ items, id, phases }: { items: readonly TrendItem[]; id: string; phases: readonly [string, string] }) {
  const first = items[0]!;
  const options = first.measure === 'option';
  return (
    <section class="question-result" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{first.text}</h3>
      {options ? <TrendChart items={items} id={id} title={first.text} phases={phases} /> : null}
      {items.map((item, i) =>
        item.row ? (
          <section aria-labelledby={`${id}-${i}-h`}>
            <h4 id={`${id}-${i}-h`}>{item.row.label}</h4>
            <div class="result-body">
              {options ? null : <TrendChart items={[item]} id={`${id}-${i}`} title={`${item.text} — ${item.row.label}`} phases={phases} />}
              <ItemTables item={item} phases={phases} />
            </div>
          </section>
        ) : (
          <div class="result-body">
            <TrendChart items={[item]} id={`${id}-${i}`} title={item.text} phases={phases} />
            <ItemTables item={item} phases={phases} />
          </div>
        ),
      )}
    </section>
  );
}

/** The items of a group, one list per tied question, in order. */
function byQuestion(items: readonly TrendItem[]): TrendItem[][] {
  const lists: TrendItem[][] = [];
  for (const item of items) {
    const last = lists.at(-1);
    if (last?.[0]?.laterQuestionId === item.laterQuestionId) last.push(item);
    else lists.push([item]);
  }
  return lists;
}

/** The trends page: the phases and filters, then every tied question with its charts and tests. */
export function TrendsPage(m: TrendsPageModel) {
  const r = m.result;
  const phases = r ? ([phaseName(r.from), phaseName(r.to)] as const) : (['', ''] as const);
  return (
    <AdminLayout title="Trends between phases" user={m.user} current="/admin/trends" scripts={['/assets/dashboard.js']}>
      <PhaseForm {...m} />
      {r ? (
        <>
          <Notice kind="info" class="totals">
            {r.from.title}: <strong>{r.from.responses}</strong> responses; {r.to.title}: <strong>{r.to.responses}</strong> responses
            {r.filters.status === 'all' ? ' (submitted or in progress)' : ' (submitted)'}. Paired tests use the respondents who answered both phases (the later
            respondent carried over from the earlier one); the overall tests set all respondents of one phase against all of the other. Live, exact figures for
            the Assessment Team.
          </Notice>
          <p>
            <a href={`/admin/trends.csv?${m.query}`}>Download CSV of the page</a>
          </p>
          {r.notCompared.length ? (
            <ul class="warnings">
              {r.notCompared.map((n) => (
                <li>
                  Not compared: “{n.text}” ({n.trendKey}): {n.reason}
                </li>
              ))}
            </ul>
          ) : null}
          {r.groups.map((g, gi) => (
            <section aria-labelledby={`group-${gi}`}>
              <h2 id={`group-${gi}`}>
                {g.label}: {g.pairs} respondent{g.pairs === 1 ? '' : 's'} answered both phases
              </h2>
              {byQuestion(g.items).map((items, qi) => (
                <QuestionTrend items={items} id={`trend-${gi}-${qi}`} phases={phases} />
              ))}
            </section>
          ))}
        </>
      ) : (
        <p class="notice preview">Choose an earlier and a later phase: no two questionnaires declare phases yet.</p>
      )}
    </AdminLayout>
  );
}

/** @jsxImportSource hono/jsx */
/**
 * The table of one question's result on the dashboard, by kind of question: shares with their
 * 95% intervals for choices, distributions and means for scales, statistics and a histogram for
 * numbers, ranks for rankings, and the first answers of a text question. Every hidden count is
 * said in words ("fewer than 5", "withheld").
 */
import {
  FEWER_THAN_5,
  hiddenLabel,
  type ChoiceResult,
  type Count,
  type NumericResult,
  type QuestionResult,
  type RankingResult,
  type ScaleResult,
  type TextResult,
} from '../../../analysis/results.ts';
import { DataTable } from './admin-parts.tsx';

/** A result's own count (n, missing, …) as shown: the number, or the words for why it is hidden. */
export const countOrWhyHidden = (r: { withheld?: readonly string[] }, name: string, value: number | null) =>
  value === null ? hiddenLabel(r.withheld?.includes(name)) : value;
const field = countOrWhyHidden;

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`);
const num = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
const ci = (interval: [number, number] | null | undefined, asShare: boolean) =>
  interval ? `${asShare ? pct(interval[0]) : num(interval[0])} – ${asShare ? pct(interval[1]) : num(interval[1])}` : '—';
const count = (c: Pick<Count, 'count' | 'suppressed' | 'withheld'> | { count: number | null; suppressed?: boolean; withheld?: boolean }) =>
  c.suppressed ? hiddenLabel(c.withheld) : c.count === null ? '—' : String(c.count);

function ChoiceTable({ r }: { r: ChoiceResult }) {
  return (
    <DataTable
      caption={r.multiple ? 'Share of respondents who chose each option (several could be chosen)' : 'Share of respondents per option'}
      columns={['Option', { label: 'Respondents', num: true }, { label: 'Share', num: true }, { label: '95% interval', num: true }]}
    >
      <tbody>
        {r.options.map((o) => (
          <tr>
            <th scope="row">{o.label}</th>
            <td class="num">{count(o)}</td>
            <td class="num">{pct(o.share)}</td>
            <td class="num">{ci(o.ci95, true)}</td>
          </tr>
        ))}
      </tbody>
      {/* One base per column: the shares above are of those who gave a view; the answers apart have their own. */}
      <tfoot>
        {r.multiple ? null : (
          <tr class="base">
            <th scope="row">{r.nonSubstantive.length ? 'Gave a view' : 'Answered'}</th>
            <td class="num">{field(r, 'substantive', r.substantive)}</td>
            <td class="num">{r.substantive ? '100%' : '—'}</td>
            <td></td>
          </tr>
        )}
        {r.nonSubstantive.length ? (
          <tr class="apart-heading">
            <th scope="rowgroup" colspan={4}>
              Apart from the shares above, as a share of all {r.n === null ? '' : `${r.n} `}who answered
            </th>
          </tr>
        ) : null}
        {r.nonSubstantive.map((o) => (
          <tr class="non-substantive">
            <th scope="row">{o.label}</th>
            <td class="num">{count(o)}</td>
            <td class="num">{pct(o.share)}</td>
            <td class="num">{ci(o.ci95, true)}</td>
          </tr>
        ))}
      </tfoot>
    </DataTable>
  );
}

function ScaleTable({ r }: { r: ScaleResult }) {
  const points = r.rows[0]?.distribution ?? [];
  const apart = r.rows[0]?.nonSubstantive ?? [];
  return (
    <table class="data">
      <caption>
        Distribution of substantive answers; mean and median of scale values 1–{points.length}
        {apart.length ? `; ${apart.map((a) => `“${a.label}”`).join(', ')} kept apart` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">{r.rows.length > 1 ? 'Row' : 'Question'}</th>
          {points.map((p) => (
            <th scope="col" class="num">
              {p.label}
            </th>
          ))}
          <th scope="col" class="num">
            {apart.length ? 'Gave a view' : 'Answered'}
          </th>
          <th scope="col" class="num">
            Mean (95% interval)
          </th>
          <th scope="col" class="num">
            Median
          </th>
          {r.topBoxLabels.length ? (
            <th scope="col" class="num" title={`Share answering ${r.topBoxLabels.join(' or ')}`}>
              Top box ({r.topBoxLabels.join(', ')})
            </th>
          ) : null}
          {apart.map((a) => (
            <th scope="col" class="num">
              {a.label}
            </th>
          ))}
          {apart.length ? (
            <th scope="col" class="num">
              Answered
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {r.rows.map((row) => (
          <tr>
            <th scope="row">{row.label}</th>
            {row.distribution.map((d) => (
              <td class="num">{d.suppressed ? hiddenLabel(d.withheld) : pct(d.share)}</td>
            ))}
            <td class="num">{field(row, 'n', row.n)}</td>
            <td class="num">
              {num(row.mean)} ({ci(row.ci95, false)})
            </td>
            <td class="num">{num(row.median)}</td>
            {r.topBoxLabels.length ? <td class="num">{pct(row.topBox)}</td> : null}
            {row.nonSubstantive.map((d) => (
              <td class="num non-substantive">
                {count(d)}
                {d.share === null ? '' : ` (${pct(d.share)})`}
              </td>
            ))}
            {apart.length ? <td class="num">{field(row, 'answered', row.answered)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NumericTable({ r }: { r: NumericResult }) {
  return (
    <>
      <dl class="stats">
        <dt>Mean (95% t interval)</dt>
        <dd>
          {num(r.mean)}
          {r.meanCi95 ? ` (${num(r.meanCi95[0])} – ${num(r.meanCi95[1])})` : ''}
        </dd>
        <dt>Standard deviation</dt>
        <dd>{num(r.sd)}</dd>
        <dt>Median (distribution-free interval)</dt>
        <dd>
          {num(r.median)}
          {r.medianCi ? ` (${num(r.medianCi.lower)} – ${num(r.medianCi.upper)}; covers the median with probability ${pct(r.medianCi.coverage)})` : ''}
        </dd>
        <dt>Quartiles</dt>
        <dd>{r.quartiles ? r.quartiles.map((q) => num(q)).join(' · ') : '—'}</dd>
        <dt>Range</dt>
        <dd>
          {num(r.min)} – {num(r.max)}
        </dd>
      </dl>
      <DataTable caption="Respondents per range of values" columns={['From', 'To', { label: 'Respondents', num: true }]}>
        <tbody>
          {r.histogram.map((b) => (
            <tr>
              <td>{num(b.from)}</td>
              <td>{num(b.to)}</td>
              <td class="num">{count(b)}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </>
  );
}

function RankingTable({ r }: { r: RankingResult }) {
  return (
    <DataTable
      caption="How often each option was ranked, its mean rank (1 = first) among those who ranked it, and the share ranking it first"
      columns={['Option', { label: 'Ranked by', num: true }, { label: 'Mean rank', num: true }, { label: 'Ranked first', num: true }]}
    >
      <tbody>
        {r.options.map((o) => (
          <tr>
            <th scope="row">{o.label}</th>
            <td class="num">{o.suppressed ? FEWER_THAN_5 : num(o.rankedBy)}</td>
            <td class="num">{num(o.meanRank)}</td>
            <td class="num">{pct(o.firstShare)}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

function TextAnswers({ r, surveyId }: { r: TextResult; surveyId: string }) {
  return (
    <>
      <ul class="text-answers">
        {r.answers.slice(0, 10).map((a) => (
          <li>{a.text}</li>
        ))}
      </ul>
      {r.answers.length > 10 || r.answers.length > 0 ? (
        <p>
          <a href={`/admin/free-text?survey=${surveyId}&question=${r.questionId}`}>Read, search and tag all {r.answers.length} answers</a>
        </p>
      ) : null}
    </>
  );
}

/** The table (or the answers) of one question's result. */
export function ResultTable({ r, surveyId }: { r: QuestionResult; surveyId: string }) {
  switch (r.kind) {
    case 'choice':
      return <ChoiceTable r={r} />;
    case 'scale':
      return <ScaleTable r={r} />;
    case 'numeric':
      return <NumericTable r={r} />;
    case 'ranking':
      return <RankingTable r={r} />;
    case 'text':
      return <TextAnswers r={r} surveyId={surveyId} />;
  }
}

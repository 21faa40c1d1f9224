/** @jsxImportSource hono/jsx */
/**
 * Small pieces the Assessment Team's pages share: choosing a questionnaire, paging through long
 * lists, and the words for stored codes.
 */
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { RespondentKind } from '../../../survey-definitions/schema.ts';

export const KIND_LABELS: Record<RespondentKind, string> = {
  government: 'Government',
  civil_society: 'Civil society',
  international_org: 'International organisation',
};

/** `YYYY-MM-DD HH:MM` (UTC), or an empty string. */
export function utcTime(at: Date | null | undefined): string {
  return at ? at.toISOString().slice(0, 16).replace('T', ' ') : '';
}

export interface SurveyChoice {
  id: string;
  title: string;
  version: string;
}

/** Links to the same page for each questionnaire (when none is chosen yet). */
export function SurveyChooser({ surveys, path }: { surveys: SurveyChoice[]; path: string }) {
  if (!surveys.length) return <p class="notice">No questionnaire is published yet.</p>;
  return (
    <>
      <p>Choose a questionnaire:</p>
      <ul class="survey-list">
        {surveys.map((s) => (
          <li>
            <a href={`${path}?survey=${encodeURIComponent(s.id)}`}>{s.title}</a>{' '}
            <span class="hint">
              ({s.id}, version {s.version})
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

export interface PageWindow {
  /** 1-based. */
  page: number;
  pageCount: number;
  total: number;
}

/** Page `n` of a list of `total` rows, `size` a page, from a query-string value (bad values give page 1). */
export function pageWindow(value: string | undefined, total: number, size: number): PageWindow & { limit: number; offset: number } {
  const pageCount = Math.max(1, Math.ceil(total / size));
  const asked = Number(value);
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pageCount) : 1;
  return { page, pageCount, total, limit: size, offset: (page - 1) * size };
}

/** Previous / next links for a paged list; nothing when everything fits on one page. */
export function Pager({ window, href, label }: { window: PageWindow; href: (page: number) => string; label: string }) {
  if (window.pageCount <= 1) return null;
  return (
    <nav class="pager" aria-label={label}>
      {window.page > 1 ? <a href={href(window.page - 1)}>Previous page</a> : null}
      <span>
        Page {window.page} of {window.pageCount}
      </span>
      {window.page < window.pageCount ? <a href={href(window.page + 1)}>Next page</a> : null}
    </nav>
  );
}

/** A column of a data table's header: its words, and `num` for a right-aligned figure column. */
export type Column = string | { label: string | JSX.Element; num?: boolean; class?: string };

/** The header row of a data table, every cell `<th scope="col">` so screen readers announce it. */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          if (typeof column === 'string') return <th scope="col">{column}</th>;
          const classes = [column.num ? 'num' : '', column.class ?? ''].filter(Boolean).join(' ');
          return (
            <th scope="col" class={classes || undefined}>
              {column.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** A data table with a caption and a header row; the rows are the children (`<tbody>…`). */
export function DataTable({
  id,
  caption,
  columns,
  class: className,
  children,
}: {
  id?: string;
  caption: string | JSX.Element;
  columns: readonly Column[];
  class?: string;
  children?: unknown;
}) {
  return (
    <table class={className ? `data ${className}` : 'data'} id={id}>
      <caption>{caption}</caption>
      <TableHead columns={columns} />
      {children}
    </table>
  );
}

/** A notice read out by screen readers when the page loads: the outcome of what was just done. */
export function Notice({ kind = 'success', class: className, children }: { kind?: 'success' | 'info'; class?: string; children?: unknown }) {
  return (
    <p class={['notice', kind, className ?? ''].filter(Boolean).join(' ')} role="status">
      {children}
    </p>
  );
}

/** The labelled questionnaire `<select>` of filter and export forms. */
export function SurveySelect({
  id = 'survey',
  surveys,
  selected,
  withVersion = false,
  required = false,
}: {
  id?: string;
  surveys: readonly (Pick<SurveyChoice, 'id' | 'title'> & { version?: string })[];
  selected: string | undefined;
  withVersion?: boolean;
  required?: boolean;
}) {
  return (
    <div class="form-row">
      <label for={id}>Questionnaire</label>
      <select id={id} name="survey" required={required}>
        {surveys.map((s) => (
          <option value={s.id} selected={s.id === selected}>
            {withVersion && s.version ? `${s.title} (version ${s.version})` : s.title}
          </option>
        ))}
      </select>
    </div>
  );
}

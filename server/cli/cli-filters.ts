/**
 * The analysis filters and grouping of the analytical commands (`analyze`, `trends`), read the same
 * way: `--kind`, `--region`, `--role` take comma-separated lists, `--status` submitted (default) or
 * all, `--by` kind, region or role.
 */
import type { AnalysisFilters, Segment } from '../../analysis/results.ts';

export interface FilterOptions {
  by?: string;
  kind?: string;
  region?: string;
  role?: string;
  status?: string;
}

const SEGMENTS: readonly Segment[] = ['kind', 'region', 'role'];
const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean) ?? [];

/** The filters and grouping the options ask for, or undefined when `--by` or `--status` has a value it cannot take. */
export function filtersFromOptions(options: FilterOptions): { filters: AnalysisFilters; by: Segment | undefined } | undefined {
  const by = options.by as Segment | undefined;
  const status = options.status ?? 'submitted';
  if ((by !== undefined && !SEGMENTS.includes(by)) || (status !== 'submitted' && status !== 'all')) return undefined;
  const filters: AnalysisFilters = { status };
  for (const key of ['kind', 'region', 'role'] as const) {
    const values = list(options[key]);
    if (values.length) filters[key] = values;
  }
  return { filters, by };
}

/**
 * The dashboard's filters in a query string, read and written the same way by every analytical
 * page: `kind`, `region`, `role` may repeat (unknown values are ignored); `status` is submitted|all.
 */
import type { Context } from 'hono';
import type { AnalysisFilters } from '../../analysis/results.ts';
import { REGIONS } from '../../survey-definitions/countries.ts';
import { RESPONDENT_KINDS } from '../../survey-definitions/schema.ts';
import type { AppEnv } from '../app-env.ts';
import { GFMD_ROLES } from '../respondents/invitee-csv.ts';

export function filtersFromQuery(c: Context<AppEnv>): AnalysisFilters {
  const list = (name: string, allowed: readonly string[]) => (c.req.queries(name) ?? []).filter((v, i, all) => allowed.includes(v) && all.indexOf(v) === i);
  const filters: AnalysisFilters = { status: c.req.query('status') === 'all' ? 'all' : 'submitted' };
  const kind = list('kind', RESPONDENT_KINDS);
  const region = list('region', REGIONS);
  const role = list('role', GFMD_ROLES);
  if (kind.length) filters.kind = kind;
  if (region.length) filters.region = region;
  if (role.length) filters.role = role;
  return filters;
}

export function filtersToQuery(filters: AnalysisFilters): string {
  const params = new URLSearchParams();
  for (const k of filters.kind ?? []) params.append('kind', k);
  for (const r of filters.region ?? []) params.append('region', r);
  for (const r of filters.role ?? []) params.append('role', r);
  if (filters.status === 'all') params.set('status', 'all');
  return params.toString();
}

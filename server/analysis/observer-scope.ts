/**
 * What an observer may ask the analysis for, whatever the page or API: submitted responses only
 * (a draft differenced against the submitted figures would be published), one group at a time, no
 * filters in comparisons, and no identifying question (a government's country, roles or
 * contribution), in results and comparisons alike.
 *
 * This narrows what can be differenced; it does not protect the views jointly: a region's hidden
 * count may still follow from "all" minus the other regions.
 */
import type { AnalysisFilters } from '../../analysis/results.ts';
import type { Question } from '../../survey-definitions/types.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/** May this viewer see figures of this question? Observers see no identifying or country question. */
export function questionShownTo(role: UserRole, question: Question): boolean {
  return role !== 'observer' || (!question.identifying && question.type !== 'country');
}

/** How many groups a set of filters names (kinds, regions and roles together). */
export function filterValueCount(filters: AnalysisFilters): number {
  return (filters.kind?.length ?? 0) + (filters.region?.length ?? 0) + (filters.role?.length ?? 0);
}

/**
 * Refuses what an observer may not ask for: responses in progress (`status: 'all'`), and more
 * than one group at a time (`usage: 'figures'`: all respondents, or one kind, one region or one
 * GFMD role) or any group at all in comparisons (`usage: 'comparison'`, whose segments are already
 * a breakdown). Overlapping views subtracted from one another give a single respondent's answers:
 * "Steering Group" minus "Steering Group in four regions", or "all" minus "all but one region".
 *
 * @throws AppError `forbidden` naming what is refused.
 */
export function assertFiltersAllowed(role: UserRole, filters: AnalysisFilters, usage: 'figures' | 'comparison' = 'figures'): void {
  if (role !== 'observer') return;
  if (filters.status === 'all') {
    throw new AppError('forbidden', 'Observers see figures of submitted responses only; responses in progress are not shown.');
  }
  const groups = filterValueCount(filters);
  if (usage === 'comparison' && groups > 0) {
    throw new AppError('forbidden', 'Observers compare the groups of all respondents, without filters: groups within a filter, set against other views, would single out respondents.');
  }
  if (groups > 1) {
    throw new AppError('forbidden', 'Observers look at one group at a time (all respondents, one kind, one region or one GFMD role): overlapping groups, subtracted from one another, would single out respondents.');
  }
}

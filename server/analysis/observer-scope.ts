/**
 * What an observer may ask the analysis for, whatever the page or API: submitted responses only
 * (a draft differenced against the submitted figures would be published), and no identifying
 * question (a government's country, roles or contribution), in results and comparisons alike.
 */
import type { AnalysisFilters } from '../../analysis/results.ts';
import type { Question } from '../../survey-definitions/types.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/** May this viewer see figures of this question? Observers see no identifying or country question. */
export function questionShownTo(role: UserRole, question: Question): boolean {
  return role !== 'observer' || (!question.identifying && question.type !== 'country');
}

/**
 * Refuses what an observer may not ask for: responses in progress (`status: 'all'`).
 *
 * @throws AppError `forbidden` for an observer asking for `status: 'all'`.
 */
export function assertFiltersAllowed(role: UserRole, filters: AnalysisFilters): void {
  if (role === 'observer' && filters.status === 'all') {
    throw new AppError('forbidden', 'Observers see figures of submitted responses only; responses in progress are not shown.');
  }
}

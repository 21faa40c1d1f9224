/**
 * Live figures (every response as it stands, exact) are the Assessment Team's own: admins and
 * analysts see them. Observers read releases only, where every figure is protected together with
 * everything else ever published: views of live data, however each protects itself, undo one
 * another when set side by side ("all" minus "all but one region" is one region).
 */
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export const OBSERVERS_READ_RELEASES =
  'Observers read the published releases, not live figures: see the Releases page (/admin/releases) or GET /api/surveys/<id>/releases.';

/** @throws AppError `forbidden` for an observer. */
export function assertLiveViewer(role: UserRole): void {
  if (role === 'observer') throw new AppError('forbidden', OBSERVERS_READ_RELEASES);
}

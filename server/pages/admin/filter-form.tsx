/** @jsxImportSource hono/jsx */
/**
 * The filters of the analytical pages (dashboard, trends): questionnaire, stakeholder kind,
 * region, GFMD role and status, sent as a GET query string that every page reads the same way
 * (http/analysis-filters.ts).
 */
import type { AnalysisFilters } from '../../../analysis/results.ts';
import { roleLabel } from '../../respondents/respondent-labels.ts';
import { KIND_LABELS, SurveySelect } from './admin-parts.tsx';

/** What the filters offer: the questionnaires, and the kinds, regions and roles to tick. */
export interface FilterChoices {
  surveys: { id: string; title: string }[];
  kinds: string[];
  regions: string[];
  roles: string[];
}

/** A group of checkboxes of one filter, each value ticked when it is in `selected`. */
export function Checkboxes({
  name,
  values,
  selected,
  legend,
  label = (v) => v,
}: {
  name: string;
  values: string[];
  selected: string[] | undefined;
  legend: string;
  label?: (value: string) => string;
}) {
  return (
    <fieldset class="filter-group">
      <legend>{legend}</legend>
      {values.map((v) => (
        <label class="check">
          <input type="checkbox" name={name} value={v} checked={selected?.includes(v)} /> {label(v)}
        </label>
      ))}
    </fieldset>
  );
}

/** The filter form of a page at `action`: the questionnaire (or it kept hidden), the groups and the status. */
export function FilterForm({
  action,
  surveyId,
  filters,
  choices,
  withSurvey = true,
}: {
  action: string;
  surveyId: string;
  filters: AnalysisFilters;
  choices: FilterChoices;
  withSurvey?: boolean;
}) {
  return (
    <form method="get" action={action} class="filters" aria-label="Filters">
      {withSurvey ? <SurveySelect surveys={choices.surveys} selected={surveyId} /> : <input type="hidden" name="survey" value={surveyId} />}
      <Checkboxes
        name="kind"
        legend="Stakeholder kind"
        values={choices.kinds}
        selected={filters.kind}
        label={(k) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k}
      />
      <Checkboxes name="region" legend="Region (UN M49)" values={choices.regions} selected={filters.region} />
      <Checkboxes name="role" legend="GFMD role" values={choices.roles} selected={filters.role} label={roleLabel} />
      <fieldset class="filter-group">
        <legend>Status</legend>
        <label class="check">
          <input type="radio" name="status" value="submitted" checked={filters.status !== 'all'} /> submitted only
        </label>
        <label class="check">
          <input type="radio" name="status" value="all" checked={filters.status === 'all'} /> also in progress
        </label>
      </fieldset>
      <p class="actions">
        <button type="submit" class="primary">
          Apply filters
        </button>{' '}
        <a href={`${action}?survey=${surveyId}`}>Clear</a>
      </p>
    </form>
  );
}

/**
 * One complete set of answers to the government questionnaire, and a driver that enters (or
 * checks) an answer the way a person does: clicking labels and radios, choosing from selects,
 * typing, found by their accessible names (`getByRole`, `getByLabel`) in the page's language.
 */
import type { Locator, Page } from 'playwright-core';
import type { Answers, AnswerValue } from '../../../survey-definitions/answers.ts';
import type { Language } from '../../../survey-definitions/schema.ts';
import { allQuestions, type Option, type Question, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import { scaleOptions, yesNoOptions } from '../../../server/pages/format-answer.ts';

/** A matrix answer: each row gets a point of the scale, cycling, and the last row the "don't know" column. */
function matrix(definition: SurveyDefinition, id: string): Record<string, string> {
  const q = question(definition, id);
  if (q.type !== 'matrix') throw new Error(`${id} is not a matrix`);
  const points = q.scale.points.map((p) => p.code);
  const apart = q.scale.non_substantive.map((o) => o.code);
  return Object.fromEntries(q.rows.map((row, i) => [row.code, i === q.rows.length - 1 && apart[0] ? apart[0] : points[(i + 1) % points.length]!]));
}

export function question(definition: SurveyDefinition, id: string): Question {
  const q = allQuestions(definition).find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
}

/** Answers to every required question of every section (Senegal, which contributed money). */
export function governmentAnswers(definition: SurveyDefinition): Answers {
  return {
    g_country: 'SEN',
    g_lead_unit: 'foreign_affairs',
    g_roles: ['steering_group_member', 'financial_or_in_kind_contributor'],
    g_meetings_attended: ['2009_athens', '2010_puerto_vallarta'],
    g_migration_profile: ['origin', 'transit'],
    g_prep_quality: matrix(definition, 'g_prep_quality'),
    g_theme_relevance_2010: matrix(definition, 'g_theme_relevance_2010'),
    g_priority_topics: ['diaspora_remittances', 'migration_costs_recruitment', 'regular_channels'],
    g_five_subjects_attention: matrix(definition, 'g_five_subjects_attention'),
    g_dev_balance: 'balanced',
    g_focus_breadth: 'narrower',
    g_topic_selection: ['input_from_civil_society', 'input_from_rcps'],
    g_structure_effectiveness: matrix(definition, 'g_structure_effectiveness'),
    g_wg_future: ['revitalise_with_clearer_mandates'],
    g_chair_model: 'co_chairing',
    g_funding_predictable: '2',
    g_contributed: 'yes',
    g_contribution_types: ['unearmarked_funds', 'travel_developing_country_delegates'],
    g_contribution_eur: 25000,
    g_funding_options: matrix(definition, 'g_funding_options'),
    g_dialogue_quality: matrix(definition, 'g_dialogue_quality'),
    g_benefits: ['learned_good_practices', 'better_diaspora_engagement'],
    g_policy_change: 'no',
    g_impact_scope: 'policy_and_operational_action',
    g_links_strength: matrix(definition, 'g_links_strength'),
    g_cs_engagement: 'larger_selected_sessions',
    g_common_space: 'yes_as_in_2010',
    g_gfmd_role: 'exchange_plus_policy_influence',
    g_core_principles: matrix(definition, 'g_core_principles'),
    g_after_2013: 'continue_reformed_structure',
    g_overall_value: '4',
    g_top_change: 'Un programme thématique pluriannuel, suivi d’une année à l’autre — « moins de thèmes, mieux traités ».',
    g_assessment_principles: matrix(definition, 'g_assessment_principles'),
    g_use_consent: 'aggregated_only',
    g_interview: 'no',
  };
}

function optionsOf(q: Question): Option[] {
  switch (q.type) {
    case 'single_choice':
    case 'multi_choice':
    case 'ranking':
      return q.options;
    case 'scale':
    case 'matrix':
      return scaleOptions(q);
    case 'yes_no':
      return yesNoOptions(q);
    default:
      return [];
  }
}

function labelOf(q: Question, code: string, language: Language): string {
  const option = optionsOf(q).find((o) => o.code === code);
  if (!option) throw new Error(`${q.id} has no option ${code}`);
  return option.label[language];
}

/** The question's fieldset, found by its legend (radio and checkbox groups, matrices, rankings). */
export function questionGroup(page: Page, q: Question, language: Language): Locator {
  return page.getByRole('group', { name: q.text[language] });
}

/** The single control of a question answered with one field, found by its label. */
export function questionField(page: Page, q: Question, language: Language): Locator {
  return page.getByLabel(q.text[language]);
}

/** Enters one answer as a person would. */
export async function enterAnswer(page: Page, q: Question, value: AnswerValue, language: Language): Promise<void> {
  switch (q.type) {
    case 'single_choice':
    case 'scale':
    case 'yes_no': {
      // Click the option's words (the <label>), as a mouse user does.
      await questionGroup(page, q, language)
        .getByText(labelOf(q, String(value), language), { exact: true })
        .click();
      return;
    }
    case 'multi_choice': {
      const group = questionGroup(page, q, language);
      for (const code of value as string[]) await group.getByText(labelOf(q, code, language), { exact: true }).click();
      return;
    }
    case 'matrix': {
      const group = questionGroup(page, q, language);
      for (const row of q.rows) {
        const code = (value as Record<string, string>)[row.code];
        if (code === undefined) continue;
        await group.getByRole('radio', { name: `${row.label[language]}: ${labelOf(q, code, language)}`, exact: true }).click();
      }
      return;
    }
    case 'ranking': {
      const group = questionGroup(page, q, language);
      const ranked = value as string[];
      for (const [i, code] of ranked.entries()) await group.getByLabel(labelOf(q, code, language), { exact: true }).selectOption(String(i + 1));
      return;
    }
    case 'country':
      await questionField(page, q, language).selectOption(String(value));
      return;
    case 'numeric':
      await questionField(page, q, language).fill(String(value).replace('.', language === 'en' ? '.' : ','));
      return;
    case 'short_text':
    case 'long_text':
      await questionField(page, q, language).fill(String(value));
      return;
  }
}

/** Whether the page shows the given answer (checked boxes, selected options, field values). */
export async function shownAnswerMismatches(page: Page, q: Question, value: AnswerValue, language: Language): Promise<string[]> {
  const problems: string[] = [];
  const expectChecked = async (locator: Locator, what: string) => {
    if (!(await locator.isChecked())) problems.push(`${q.id}: ${what} is not checked`);
  };
  switch (q.type) {
    case 'single_choice':
    case 'scale':
    case 'yes_no':
      await expectChecked(questionGroup(page, q, language).getByRole('radio', { name: labelOf(q, String(value), language), exact: true }), String(value));
      break;
    case 'multi_choice':
      for (const code of value as string[])
        await expectChecked(questionGroup(page, q, language).getByRole('checkbox', { name: labelOf(q, code, language), exact: true }), code);
      break;
    case 'matrix':
      for (const row of q.rows) {
        const code = (value as Record<string, string>)[row.code];
        if (code !== undefined)
          await expectChecked(
            questionGroup(page, q, language).getByRole('radio', { name: `${row.label[language]}: ${labelOf(q, code, language)}`, exact: true }),
            `${row.code}=${code}`,
          );
      }
      break;
    case 'ranking':
      for (const [i, code] of (value as string[]).entries()) {
        const shown = await questionGroup(page, q, language)
          .getByLabel(labelOf(q, code, language), { exact: true })
          .inputValue();
        if (shown !== String(i + 1)) problems.push(`${q.id}: ${code} has rank '${shown}', expected ${i + 1}`);
      }
      break;
    default: {
      const shown = await questionField(page, q, language).inputValue();
      if (shown !== String(value)) problems.push(`${q.id}: shows '${shown}', expected '${String(value)}'`);
    }
  }
  return problems;
}

/**
 * The shape of a questionnaire definition file, as one zod schema.
 *
 * Structure is checked here (types, required fields, every string in English, French and Spanish);
 * cross-references (skip logic, duplicate ids, shared lists and scales, dates) are checked in
 * `check-definition.ts`, which needs the whole file at once.
 */
import { z } from 'zod';

/** Languages every visible string must be given in. */
export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'French', es: 'Spanish' };

/** Respondent kinds; a questionnaire's `audience` lists the kinds it is meant for. */
export const RESPONDENT_KINDS = ['government', 'civil_society', 'international_org'] as const;
export type RespondentKind = (typeof RESPONDENT_KINDS)[number];

/** A stable identifier: lower-case letters, digits and underscores, starting with a letter. */
const slug = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and underscores, starting with a letter');
/** An option code: like a slug but may start with a digit (scale points "1".."5", "2010_..."). */
const code = z.string().regex(/^[a-z0-9][a-z0-9_]*$/, 'must be lower-case letters, digits and underscores');

/** A string given in every language. */
export const localizedText = z
  .object(
    {
      en: z.string({ error: 'missing English text' }).trim().min(1, 'English text is empty'),
      fr: z.string({ error: 'missing French translation' }).trim().min(1, 'French translation is empty'),
      es: z.string({ error: 'missing Spanish translation' }).trim().min(1, 'Spanish translation is empty'),
    },
    { error: 'must give the text in English, French and Spanish (en, fr, es)' },
  )
  .strict();
export type LocalizedText = z.infer<typeof localizedText>;

export const option = z
  .object({
    code,
    label: localizedText,
    /** "Other, please specify": selecting it asks for a short text. */
    specify: z.boolean().optional(),
    /** In a multiple choice, this option cannot be combined with any other (e.g. "none of these"). */
    exclusive: z.boolean().optional(),
  })
  .strict();
export type Option = z.infer<typeof option>;

/** An entry of an option or row list: an option, or `{ from: list }` to include a shared list. */
const optionEntry = z.union([option, z.object({ from: slug }).strict()], {
  error: 'each entry must be an option { code, label } or { from: <shared list> }',
});

const questionBase = {
  id: slug,
  text: localizedText,
  help: localizedText.optional(),
  required: z.boolean().default(false),
  show_if: z.string().trim().min(1).optional(),
  /** Marks a question asked identically in another questionnaire, so both can be compared. */
  shared_key: slug.optional(),
  /** Identifying field: removed or coarsened before any export. */
  identifying: z.boolean().optional(),
  /**
   * Describes the respondent (e.g. the organisation type): counted in tables, but left out of the
   * published row file, where it would single a respondent out as a quasi-identifier would.
   */
  quasi_identifier: z.boolean().optional(),
  /**
   * Answered by the organisation's open registration (its type or its country): pre-filled from
   * it and shown read-only to an organisation that registered, so the two cannot disagree.
   */
  registration: z.enum(['org_type', 'country']).optional(),
  /**
   * Ties the question to the question of an earlier phase with the same key, so the two phases can
   * be compared ("what changed between 2011 and 2012"). Tied questions must be comparable (same
   * type and codes, or a declared `trend_codes` mapping), which `surveys check` verifies.
   */
  trend_key: slug.optional(),
  /**
   * For a tied question whose codes differ from the earlier phase's: each of this question's codes
   * (options, scale points or matrix rows) mapped to the earlier phase's code it stands for.
   */
  trend_codes: z.record(code, code).optional(),
};

const choiceQuestion = z.object({ ...questionBase, type: z.literal('single_choice'), options: z.array(optionEntry).min(1) }).strict();
const multiQuestion = z
  .object({
    ...questionBase,
    type: z.literal('multi_choice'),
    options: z.array(optionEntry).min(1),
    min_selections: z.number().int().min(0).optional(),
    max_selections: z.number().int().min(1).optional(),
  })
  .strict();
const scaleQuestion = z.object({ ...questionBase, type: z.literal('scale'), scale: slug }).strict();
const matrixQuestion = z.object({ ...questionBase, type: z.literal('matrix'), scale: slug, rows: z.array(optionEntry).min(1) }).strict();
const numericQuestion = z
  .object({
    ...questionBase,
    type: z.literal('numeric'),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
    unit: localizedText.optional(),
  })
  .strict();
const shortTextQuestion = z.object({ ...questionBase, type: z.literal('short_text'), max_length: z.number().int().min(1).max(1000).default(200) }).strict();
const longTextQuestion = z.object({ ...questionBase, type: z.literal('long_text'), max_length: z.number().int().min(1).max(20000).default(2000) }).strict();
const rankingQuestion = z
  .object({
    ...questionBase,
    type: z.literal('ranking'),
    options: z.array(optionEntry).min(1),
    min_ranked: z.number().int().min(1).optional(),
    max_ranked: z.number().int().min(1).optional(),
  })
  .strict();
const countryQuestion = z
  .object({
    ...questionBase,
    type: z.literal('country'),
    /**
     * `un_members`: the 193 UN member states; `un_states`: those and the two observer states
     * (Holy See, State of Palestine), the states that take part in the GFMD; `all`: every ISO
     * 3166-1 country.
     */
    countries: z.enum(['un_members', 'un_states', 'all']).default('un_members'),
  })
  .strict();
const yesNoQuestion = z.object({ ...questionBase, type: z.literal('yes_no'), dont_know: z.boolean().optional() }).strict();

export const QUESTION_TYPES = [
  'single_choice',
  'multi_choice',
  'scale',
  'matrix',
  'numeric',
  'short_text',
  'long_text',
  'ranking',
  'country',
  'yes_no',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const questionSource = z.discriminatedUnion(
  'type',
  [
    choiceQuestion,
    multiQuestion,
    scaleQuestion,
    matrixQuestion,
    numericQuestion,
    shortTextQuestion,
    longTextQuestion,
    rankingQuestion,
    countryQuestion,
    yesNoQuestion,
  ],
  { error: `type must be one of: ${QUESTION_TYPES.join(', ')}` },
);
export type QuestionSource = z.infer<typeof questionSource>;

export const sectionSource = z
  .object({
    id: slug,
    title: localizedText,
    intro: localizedText.optional(),
    questions: z.array(questionSource).min(1, 'a section needs at least one question'),
  })
  .strict();

/** A point of a scale; `value` orders the substantive points (1 = lowest). */
export const scalePoint = z.object({ code, value: z.number(), label: localizedText }).strict();
/**
 * A named scale; non-substantive codes ("don't know", "no basis to judge") are kept apart.
 * `top_box` lists the codes of the points whose share is reported as the "top box" (e.g. agree and
 * strongly agree): the highest points by value, not all of them (checked in `checkCommon`). A scale
 * without it gets no top-box figure, as a bipolar scale ("too weak / about right / too strong") must not.
 */
export const scaleSource = z
  .object({
    label: localizedText.optional(),
    points: z.array(scalePoint).min(2, 'a scale needs at least two points'),
    non_substantive: z.array(option).default([]),
    top_box: z.array(code).min(1, 'top_box needs at least one point; leave it out for a scale without a top box').optional(),
  })
  .strict();
export type ScaleSource = z.infer<typeof scaleSource>;

/** The shared file (`common.yaml`): scales and option lists used by several questionnaires. */
export const commonSource = z
  .object({
    scales: z.record(slug, scaleSource).default({}),
    lists: z.record(slug, z.array(option).min(1)).default({}),
  })
  .strict();
export type CommonSource = z.infer<typeof commonSource>;

const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

/** A questionnaire file as written by its authors. */
export const surveySource = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens'),
    version: z.string().trim().min(1),
    title: localizedText,
    description: localizedText.optional(),
    audience: z.array(z.enum(RESPONDENT_KINDS)).min(1),
    opens: isoDate,
    closes: isoDate,
    /**
     * The assessment phase (round) the questionnaire belongs to, as a year: 2011 for the look back,
     * 2012 for the stocktake. Respondents are the same across phases (see `phase open`).
     */
    phase: z.number().int().min(2000).max(2100).optional(),
    /** Civil society organisations may register themselves without an invitation. */
    open_registration: z.boolean().default(false),
    privacy_notice: localizedText,
    /** Whom respondents write to (shown on respondent pages and in every e-mail). */
    /**
     * Reminders the server sends by itself, in days before `closes` (e.g. [14, 7, 2]): when each
     * moment comes, invitees with an e-mail address who have not submitted get one reminder.
     */
    reminder_schedule: z.array(z.number().int().min(1, 'a reminder is at least 1 day before closing').max(365)).min(1).max(10).optional(),
    contact_email: z.email({ error: 'must be an e-mail address such as assessment@example.org' }).optional(),
    sections: z.array(sectionSource).min(1),
  })
  .strict();
export type SurveySource = z.infer<typeof surveySource>;

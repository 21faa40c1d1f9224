import { describe, expect, it } from 'vitest';
import { checkCommon, checkDefinition, type DefinitionProblem } from '../../survey-definitions/check-definition.ts';
import { QUESTION_TYPES } from '../../survey-definitions/schema.ts';
import type { Question } from '../../survey-definitions/types.ts';
import { common, option, question, rawCommon, rawDefinition, rawDefinitionWithSections, section, tr, type Raw } from '../fixtures/survey-definitions.ts';

const q = question;

function without(raw: Raw, key: string): Raw {
  const copy = { ...raw };
  delete copy[key];
  return copy;
}

function problemsOf(raw: unknown): DefinitionProblem[] {
  const result = checkDefinition(raw, common());
  return result.problems;
}

interface BrokenCase {
  name: string;
  raw: () => unknown;
  /** The problems expected; with `only`, exactly these (in this order), else at least these. */
  problems: DefinitionProblem[];
  only?: boolean;
}

const showIf = (path: string, message: string): DefinitionProblem => ({ path: `sections.s1.questions.${path}.show_if`, message });

/** Each broken definition and the precise problem an author is told about. */
const CATALOGUE: BrokenCase[] = [
  // --- skip logic ---
  {
    name: 'skip logic refers to an unknown question',
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q2', 'yes_no', { show_if: 'nope == yes' })]),
    problems: [showIf('q2', "refers to unknown question 'nope'")],
    only: true,
  },
  {
    name: 'skip logic refers to a later question',
    raw: () => rawDefinition([q('q1', 'yes_no', { show_if: 'q2 == yes' }), q('q2', 'yes_no')]),
    problems: [showIf('q1', "refers to 'q2', which comes later in the questionnaire (skip logic may only use earlier answers)")],
    only: true,
  },
  {
    name: 'skip logic refers to a question of a later section',
    raw: () => rawDefinitionWithSections([section('s1', [q('q1', 'yes_no', { show_if: 'q2 == yes' })]), section('s2', [q('q2', 'yes_no')])]),
    problems: [showIf('q1', "refers to 'q2', which comes later in the questionnaire (skip logic may only use earlier answers)")],
    only: true,
  },
  {
    name: 'skip logic refers to the question itself',
    raw: () => rawDefinition([q('q1', 'yes_no', { show_if: 'q1 == yes' })]),
    problems: [showIf('q1', "refers to the question itself ('q1')")],
    only: true,
  },
  {
    name: 'show_if with a syntax error (incomplete)',
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q2', 'yes_no', { show_if: 'q1 == ' })]),
    problems: [showIf('q2', "cannot read 'q1 ==': expected an option code but found the end of the expression")],
    only: true,
  },
  {
    name: 'show_if with an unexpected character',
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q2', 'yes_no', { show_if: 'q1 = yes' })]),
    problems: [showIf('q2', "cannot read 'q1 = yes': unexpected character '=' at position 4")],
    only: true,
  },
  {
    name: 'show_if nested 4,000 parentheses deep is refused, quoted by its start',
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q2', 'yes_no', { show_if: `${'('.repeat(4000)}q1 == yes${')'.repeat(4000)}` })]),
    problems: [showIf('q2', `cannot read '${'('.repeat(60)}…': the expression is 8009 characters long; at most 2000 are allowed`)],
    only: true,
  },
  {
    name: 'show_if with 40 nested not is refused',
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q2', 'yes_no', { show_if: `${'not '.repeat(40)}q1 == yes` })]),
    problems: [showIf('q2', `cannot read '${'not '.repeat(15)}…': the expression nests more than 32 levels deep (parentheses and 'not') at position 129`)],
    only: true,
  },
  {
    name: 'show_if with trailing words',
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q2', 'yes_no', { show_if: 'q1 == yes no' })]),
    problems: [showIf('q2', "cannot read 'q1 == yes no': unexpected 'no' at position 11")],
    only: true,
  },
  {
    name: 'show_if tests a code that is not an option of the question',
    raw: () => rawDefinition([q('q1', 'single_choice'), q('q2', 'yes_no', { show_if: 'q1 == z' })]),
    problems: [showIf('q2', "'z' is not an option of 'q1' (options: a, b, c)")],
    only: true,
  },
  {
    name: 'show_if: one of several codes in `any of` is not an option',
    raw: () => rawDefinition([q('q1', 'multi_choice'), q('q2', 'yes_no', { show_if: 'any of a, zz, c in q1' })]),
    problems: [showIf('q2', "'zz' is not an option of 'q1' (options: a, b, c)")],
    only: true,
  },
  {
    name: 'show_if tests a point that the scale does not have',
    raw: () => rawDefinition([q('q1', 'scale'), q('q2', 'yes_no', { show_if: 'q1 == 4' })]),
    problems: [showIf('q2', "'4' is not an option of 'q1' (options: 1, 2, 3, dk)")],
    only: true,
  },
  {
    name: "show_if tests 'dk' on a yes/no question without \"don't know\"",
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q2', 'yes_no', { show_if: 'q1 == dk' })]),
    problems: [showIf('q2', "'dk' is not an option of 'q1' (options: yes, no)")],
    only: true,
  },
  {
    name: '`in` on a single-choice question',
    raw: () => rawDefinition([q('q1', 'single_choice'), q('q2', 'yes_no', { show_if: 'a in q1' })]),
    problems: [showIf('q2', "'in' needs a multi_choice or ranking question, but 'q1' is single_choice")],
    only: true,
  },
  {
    name: '`==` on a multi_choice question',
    raw: () => rawDefinition([q('q1', 'multi_choice'), q('q2', 'yes_no', { show_if: 'q1 == a' })]),
    problems: [showIf('q2', "'==' cannot test the multi-valued question 'q1'; use 'code in q1'")],
    only: true,
  },
  {
    name: '`!=` on a ranking question',
    raw: () => rawDefinition([q('q1', 'ranking'), q('q2', 'yes_no', { show_if: 'q1 != a' })]),
    problems: [showIf('q2', "'==' cannot test the multi-valued question 'q1'; use 'code in q1'")],
    only: true,
  },
  {
    name: 'show_if tests a matrix question (its answer is an object, so it can never match)',
    raw: () => rawDefinition([q('q1', 'matrix'), q('q2', 'yes_no', { show_if: 'q1 == 1' })]),
    problems: [showIf('q2', "skip logic cannot test the matrix question 'q1' (its answer is one code per row)")],
    only: true,
  },
  {
    name: 'show_if refers to an earlier question that has its own problem: only that problem',
    raw: () => rawDefinition([q('q1', 'scale', { scale: 'nope' }), q('q2', 'yes_no', { show_if: 'q1 == 1' })]),
    problems: [{ path: 'sections.s1.questions.q1.scale', message: "unknown scale 'nope' (shared scales: agree, support)" }],
    only: true,
  },
  // --- ids ---
  {
    name: 'duplicate question ids in one section',
    raw: () => rawDefinition([q('q1', 'yes_no'), q('q1', 'numeric')]),
    problems: [{ path: 'sections.s1.questions', message: "duplicate question id 'q1'" }],
    only: true,
  },
  {
    name: 'duplicate question ids across sections',
    raw: () => rawDefinitionWithSections([section('s1', [q('q1', 'yes_no')]), section('s2', [q('q2', 'yes_no'), q('q1', 'yes_no')])]),
    problems: [{ path: 'sections.s2.questions', message: "duplicate question id 'q1'" }],
    only: true,
  },
  {
    name: 'duplicate section ids',
    raw: () => rawDefinitionWithSections([section('s1', [q('q1', 'yes_no')]), section('s1', [q('q2', 'yes_no')])]),
    problems: [{ path: 'sections', message: "duplicate section id 's1'" }],
    only: true,
  },
  {
    name: 'duplicate option codes',
    raw: () => rawDefinition([q('q1', 'single_choice', { options: [option('a'), option('b'), option('a')] })]),
    problems: [{ path: 'sections.s1.questions.q1.options', message: "duplicate option code 'a'" }],
    only: true,
  },
  {
    name: 'an inline option repeats a code of the shared list it is given with',
    raw: () => rawDefinition([q('q1', 'multi_choice', { options: [{ from: 'colours' }, option('red')] })]),
    problems: [{ path: 'sections.s1.questions.q1.options', message: "duplicate option code 'red'" }],
    only: true,
  },
  {
    name: 'duplicate matrix row codes',
    raw: () => rawDefinition([q('q1', 'matrix', { rows: [option('r1'), option('r1')] })]),
    problems: [{ path: 'sections.s1.questions.q1.rows', message: "duplicate row code 'r1'" }],
    only: true,
  },
  {
    name: 'registration: org_type on a question that is not a single choice',
    raw: () => rawDefinition([q('q1', 'yes_no', { registration: 'org_type' })]),
    problems: [{ path: 'sections.s1.questions.q1.registration', message: 'registration: org_type needs a single_choice question, not yes_no' }],
    only: true,
  },
  {
    name: 'registration: country on a question that is not a country question',
    raw: () => rawDefinition([q('q1', 'yes_no', { registration: 'country' })]),
    problems: [{ path: 'sections.s1.questions.q1.registration', message: 'registration: country needs a country question, not yes_no' }],
    only: true,
  },
  {
    name: 'two questions answered by the same registration field',
    raw: () => rawDefinition([q('q1', 'country', { registration: 'country' }), q('q2', 'country', { registration: 'country' })]),
    problems: [{ path: 'sections.s1.questions.q2.registration', message: "registration: country is already answered by question 'q1'" }],
    only: true,
  },
  {
    name: 'duplicate shared_key within one file',
    raw: () => rawDefinition([q('q1', 'yes_no', { shared_key: 'same' }), q('q2', 'yes_no', { shared_key: 'same' })]),
    problems: [{ path: 'sections.s1.questions.q2.shared_key', message: "shared_key 'same' is used by another question of this questionnaire" }],
    only: true,
  },
  {
    name: 'question id that is not a slug',
    raw: () => rawDefinition([q('Q-1', 'yes_no')]),
    problems: [{ path: 'sections.s1.questions.Q-1.id', message: 'must be lower-case letters, digits and underscores, starting with a letter' }],
    only: true,
  },
  {
    name: 'question id starting with a digit',
    raw: () => rawDefinition([q('1st', 'yes_no')]),
    problems: [{ path: 'sections.s1.questions.1st.id', message: 'must be lower-case letters, digits and underscores, starting with a letter' }],
    only: true,
  },
  {
    name: 'section id that is not a slug',
    raw: () => rawDefinitionWithSections([section('Part 1', [q('q1', 'yes_no')])]),
    problems: [{ path: 'sections.Part 1.id', message: 'must be lower-case letters, digits and underscores, starting with a letter' }],
    only: true,
  },
  {
    name: 'questionnaire id with an underscore',
    raw: () => rawDefinition(undefined, { id: 'gov_2011' }),
    problems: [{ path: 'id', message: 'must be lower-case letters, digits and hyphens' }],
    only: true,
  },
  {
    name: 'option code with capitals and a space',
    raw: () => rawDefinition([q('q1', 'single_choice', { options: [option('a'), option('B c')] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.B c.code', message: 'must be lower-case letters, digits and underscores' }],
    only: true,
  },
  // --- translations ---
  {
    name: 'missing French translation of a question text',
    raw: () => rawDefinition([q('q1', 'yes_no', { text: { en: 'Did you?', es: '¿Lo hizo?' } })]),
    problems: [{ path: 'sections.s1.questions.q1.text.fr', message: 'missing French translation' }],
    only: true,
  },
  {
    name: 'missing French translation of a section title',
    raw: () => rawDefinitionWithSections([section('s1', [q('q1', 'yes_no')], { title: { en: 'About you', es: 'Sobre usted' } })]),
    problems: [{ path: 'sections.s1.title.fr', message: 'missing French translation' }],
    only: true,
  },
  {
    name: 'missing Spanish translation of an option label',
    raw: () => rawDefinition([q('q1', 'single_choice', { options: [option('a'), { code: 'none', label: { en: 'None', fr: 'Aucun' } }] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.none.label.es', message: 'missing Spanish translation' }],
    only: true,
  },
  {
    name: 'missing Spanish translation of a matrix row label',
    raw: () => rawDefinition([q('q1', 'matrix', { rows: [option('r1'), { code: 'r2', label: { en: 'Row', fr: 'Ligne' } }] })]),
    problems: [{ path: 'sections.s1.questions.q1.rows.r2.label.es', message: 'missing Spanish translation' }],
    only: true,
  },
  {
    name: 'missing English text of the questionnaire title',
    raw: () => rawDefinition(undefined, { title: { fr: 'Titre', es: 'Título' } }),
    problems: [{ path: 'title.en', message: 'missing English text' }],
    only: true,
  },
  {
    name: 'empty English text',
    raw: () => rawDefinition([q('q1', 'yes_no', { text: { en: '   ', fr: 'Question', es: 'Pregunta' } })]),
    problems: [{ path: 'sections.s1.questions.q1.text.en', message: 'English text is empty' }],
    only: true,
  },
  {
    name: 'empty Spanish help text',
    raw: () => rawDefinition([q('q1', 'yes_no', { help: { en: 'Help', fr: 'Aide', es: '' } })]),
    problems: [{ path: 'sections.s1.questions.q1.help.es', message: 'Spanish translation is empty' }],
    only: true,
  },
  {
    name: 'a text given as a plain string',
    raw: () => rawDefinition([q('q1', 'yes_no', { text: 'Did you attend?' })]),
    problems: [{ path: 'sections.s1.questions.q1.text', message: 'must give the text in English, French and Spanish (en, fr, es)' }],
    only: true,
  },
  {
    name: 'a text in a fourth language',
    raw: () => rawDefinition([q('q1', 'yes_no', { text: { ...tr('Question'), de: 'Frage' } })]),
    problems: [{ path: 'sections.s1.questions.q1.text.de', message: "unknown field 'de'" }],
    only: true,
  },
  // --- fields that do not fit ---
  {
    name: 'options on a scale question',
    raw: () => rawDefinition([q('q1', 'scale', { options: [option('a'), option('b')] })]),
    problems: [{ path: 'sections.s1.questions.q1.options', message: "'options' does not fit a scale question" }],
    only: true,
  },
  {
    name: 'max_length on a numeric question',
    raw: () => rawDefinition([q('q1', 'numeric', { max_length: 20 })]),
    problems: [{ path: 'sections.s1.questions.q1.max_length', message: "'max_length' does not fit a numeric question" }],
    only: true,
  },
  {
    name: '`exclusive` on a single_choice option',
    raw: () => rawDefinition([q('q1', 'single_choice', { options: [option('a'), option('none', { exclusive: true })] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.none.exclusive', message: "'exclusive' only fits a multi_choice question, not single_choice" }],
    only: true,
  },
  {
    name: '`exclusive` on a ranking option',
    raw: () => rawDefinition([q('q1', 'ranking', { options: [option('a'), option('none', { exclusive: true })] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.none.exclusive', message: "'exclusive' only fits a multi_choice question, not ranking" }],
    only: true,
  },
  {
    name: '`specify` on a ranking option',
    raw: () => rawDefinition([q('q1', 'ranking', { options: [option('a'), option('other', { specify: true })] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.other.specify', message: "'specify' does not fit a ranking question" }],
    only: true,
  },
  {
    name: 'a matrix row with `specify`',
    raw: () => rawDefinition([q('q1', 'matrix', { rows: [option('r1'), option('other', { specify: true })] })]),
    problems: [{ path: 'sections.s1.questions.q1.rows.other', message: "a matrix row cannot be 'specify'" }],
    only: true,
  },
  {
    name: 'a matrix row with `exclusive`',
    raw: () => rawDefinition([q('q1', 'matrix', { rows: [option('r1'), option('none', { exclusive: true })] })]),
    problems: [{ path: 'sections.s1.questions.q1.rows.none', message: "a matrix row cannot be 'exclusive'" }],
    only: true,
  },
  {
    name: 'an unknown field on an option',
    raw: () => rawDefinition([q('q1', 'single_choice', { options: [option('a', { colour: 'red' }), option('b')] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.a.colour', message: "unknown field 'colour'" }],
    only: true,
  },
  {
    name: 'an option entry that is neither an option nor `from:`',
    raw: () => rawDefinition([q('q1', 'single_choice', { options: ['a', option('b')] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.0', message: 'each entry must be an option { code, label } or { from: <shared list> }' }],
    only: true,
  },
  {
    name: 'unknown top-level field',
    raw: () => rawDefinition(undefined, { colour: 'blue' }),
    problems: [{ path: 'colour', message: "unknown field 'colour'" }],
    only: true,
  },
  // --- shared scales and lists ---
  {
    name: 'unknown scale',
    raw: () => rawDefinition([q('q1', 'scale', { scale: 'agree7' })]),
    problems: [{ path: 'sections.s1.questions.q1.scale', message: "unknown scale 'agree7' (shared scales: agree, support)" }],
    only: true,
  },
  {
    name: 'unknown scale on a matrix',
    raw: () => rawDefinition([q('q1', 'matrix', { scale: 'agree7' })]),
    problems: [{ path: 'sections.s1.questions.q1.scale', message: "unknown scale 'agree7' (shared scales: agree, support)" }],
    only: true,
  },
  {
    name: 'unknown shared list in `from:`',
    raw: () => rawDefinition([q('q1', 'multi_choice', { options: [option('a'), { from: 'flavours' }] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.1.from', message: "unknown shared list 'flavours' (shared lists: colours, meetings)" }],
    only: true,
  },
  {
    name: 'a `from:` that is not a list name',
    raw: () => rawDefinition([q('q1', 'multi_choice', { options: [{ from: 'My List' }] })]),
    problems: [{ path: 'sections.s1.questions.q1.options.0.from', message: 'must be lower-case letters, digits and underscores, starting with a letter' }],
    only: true,
  },
  // --- dates ---
  {
    name: 'closing date before opening date',
    raw: () => rawDefinition(undefined, { opens: '2011-03-01', closes: '2011-02-28' }),
    problems: [{ path: 'closes', message: 'the closing date 2011-02-28 is before the opening date 2011-03-01' }],
    only: true,
  },
  {
    name: 'invalid date format',
    raw: () => rawDefinition(undefined, { closes: '31/03/2011' }),
    problems: [{ path: 'closes', message: 'must be a date written YYYY-MM-DD' }],
    only: true,
  },
  {
    name: 'a date that does not exist',
    raw: () => rawDefinition(undefined, { opens: '2011-02-30' }),
    problems: [{ path: 'opens', message: 'must be a date written YYYY-MM-DD' }],
    only: true,
  },
  // --- types and limits ---
  {
    name: 'bad question type',
    raw: () => rawDefinition([q('q1', 'dropdown')]),
    problems: [{ path: 'sections.s1.questions.q1.type', message: `type must be one of: ${QUESTION_TYPES.join(', ')}` }],
    only: true,
  },
  {
    name: 'a question without a type',
    raw: () => rawDefinition([without(q('q1', 'yes_no'), 'type')]),
    problems: [{ path: 'sections.s1.questions.q1.type', message: `type must be one of: ${QUESTION_TYPES.join(', ')}` }],
    only: true,
  },
  {
    name: 'max_selections larger than the number of options',
    raw: () => rawDefinition([q('q1', 'multi_choice', { max_selections: 4 })]),
    problems: [{ path: 'sections.s1.questions.q1.max_selections', message: 'max_selections 4 is more than the 3 options' }],
    only: true,
  },
  {
    name: 'max_selections counts the options of a shared list',
    raw: () => rawDefinition([q('q1', 'multi_choice', { options: [{ from: 'colours' }, option('other')], max_selections: 5 })]),
    problems: [{ path: 'sections.s1.questions.q1.max_selections', message: 'max_selections 5 is more than the 4 options' }],
    only: true,
  },
  {
    name: 'min_selections larger than max_selections',
    raw: () => rawDefinition([q('q1', 'multi_choice', { min_selections: 3, max_selections: 2 })]),
    problems: [{ path: 'sections.s1.questions.q1.min_selections', message: 'min_selections 3 is more than max_selections 2' }],
    only: true,
  },
  {
    name: 'min_selections larger than the number of options (no answer could meet it)',
    raw: () => rawDefinition([q('q1', 'multi_choice', { min_selections: 4 })]),
    problems: [{ path: 'sections.s1.questions.q1.min_selections', message: 'min_selections 4 is more than the 3 options' }],
    only: true,
  },
  {
    name: 'max_ranked larger than the number of options',
    raw: () => rawDefinition([q('q1', 'ranking', { max_ranked: 5 })]),
    problems: [{ path: 'sections.s1.questions.q1.max_ranked', message: 'max_ranked 5 is more than the 3 options' }],
    only: true,
  },
  {
    name: 'min_ranked larger than max_ranked',
    raw: () => rawDefinition([q('q1', 'ranking', { min_ranked: 3, max_ranked: 2 })]),
    problems: [{ path: 'sections.s1.questions.q1.min_ranked', message: 'min_ranked 3 is more than max_ranked 2' }],
    only: true,
  },
  {
    name: 'min_ranked larger than the number of options',
    raw: () => rawDefinition([q('q1', 'ranking', { min_ranked: 4 })]),
    problems: [{ path: 'sections.s1.questions.q1.min_ranked', message: 'min_ranked 4 is more than the 3 options' }],
    only: true,
  },
  {
    name: 'min larger than max for a numeric question',
    raw: () => rawDefinition([q('q1', 'numeric', { min: 10, max: 5 })]),
    problems: [{ path: 'sections.s1.questions.q1.min', message: 'min 10 is more than max 5' }],
    only: true,
  },
  {
    name: 'a numeric question without max',
    raw: () => rawDefinition([without(q('q1', 'numeric', { min: 0 }), 'max')]),
    problems: [{ path: 'sections.s1.questions.q1.max', message: "a numeric question needs 'max', the largest plausible answer (for example max: 1000000)" }],
    only: true,
  },
  {
    name: 'a numeric limit beyond the whole numbers kept exactly',
    raw: () => rawDefinition([q('q1', 'numeric', { max: 1e300 })]),
    problems: [{ path: 'sections.s1.questions.q1.max', message: 'max 1e+300 is beyond 9007199254740991, the largest whole number kept exactly' }],
    only: true,
  },
  {
    name: 'a ranking with a single option',
    raw: () => rawDefinition([q('q1', 'ranking', { options: [option('a')] })]),
    problems: [{ path: 'sections.s1.questions.q1.options', message: 'a ranking needs at least two options, not 1' }],
    only: true,
  },
  {
    name: 'a section without questions',
    raw: () => rawDefinitionWithSections([section('s1', [])]),
    problems: [{ path: 'sections.s1.questions', message: 'a section needs at least one question' }],
    only: true,
  },
  {
    name: 'a missing field',
    raw: () => without(rawDefinition(), 'version'),
    problems: [{ path: 'version', message: 'is required' }],
    only: true,
  },
  {
    name: 'a field of the wrong type is not reported as missing',
    raw: () => rawDefinition([q('q1', 'yes_no', { required: 'yes' })]),
    problems: [{ path: 'sections.s1.questions.q1.required', message: 'Invalid input: expected boolean, received string' }],
    only: true,
  },
  {
    name: 'a number where a limit is expected as a whole number',
    raw: () => rawDefinition([q('q1', 'short_text', { max_length: 12.5 })]),
    problems: [{ path: 'sections.s1.questions.q1.max_length', message: 'Invalid input: expected int, received number' }],
    only: true,
  },
  {
    name: 'an audience that is not a respondent kind',
    raw: () => rawDefinition(undefined, { audience: ['government', 'press'] }),
    problems: [{ path: 'audience.1', message: 'Invalid option: expected one of "government"|"civil_society"|"international_org"' }],
    only: true,
  },
  {
    name: 'a file that is not a mapping',
    raw: () => 'just some text',
    problems: [{ path: '(file)', message: 'Invalid input: expected object, received string' }],
    only: true,
  },
];

describe('checkDefinition: catalogue of broken definitions', () => {
  it.each(CATALOGUE)('$name', ({ raw, problems, only }) => {
    const result = checkDefinition(raw(), common());
    expect(result.ok).toBe(false);
    if (only) expect(result.problems).toEqual(problems);
    else for (const problem of problems) expect(result.problems).toContainEqual(problem);
  });

  it('reports every schema problem of a file at once', () => {
    const raw = rawDefinition([q('q1', 'yes_no', { text: { en: 'Q', fr: 'Q' } }), q('q2', 'dropdown')], { opens: 'soon' });
    expect(problemsOf(raw)).toEqual([
      { path: 'opens', message: 'must be a date written YYYY-MM-DD' },
      { path: 'sections.s1.questions.q1.text.es', message: 'missing Spanish translation' },
      { path: 'sections.s1.questions.q2.type', message: `type must be one of: ${QUESTION_TYPES.join(', ')}` },
    ]);
  });

  it('reports every cross-reference problem of a file at once', () => {
    const raw = rawDefinition([
      q('q1', 'scale', { scale: 'nope' }),
      q('q2', 'multi_choice', { max_selections: 9 }),
      q('q3', 'yes_no', { show_if: 'q2 == a' }),
      q('q3', 'yes_no'),
    ]);
    expect(problemsOf(raw)).toEqual([
      { path: 'sections.s1.questions.q1.scale', message: "unknown scale 'nope' (shared scales: agree, support)" },
      { path: 'sections.s1.questions.q2.max_selections', message: 'max_selections 9 is more than the 3 options' },
      { path: 'sections.s1.questions.q3.show_if', message: "'==' cannot test the multi-valued question 'q2'; use 'code in q2'" },
      { path: 'sections.s1.questions', message: "duplicate question id 'q3'" },
    ]);
  });

  it('reports a scale whose points share a value', () => {
    const shared = common();
    shared.scales['lumpy'] = {
      points: [
        { code: 'low', value: 1, label: tr('Low') },
        { code: 'also_low', value: 1, label: tr('Also low') },
      ],
      non_substantive: [],
    };
    const result = checkDefinition(rawDefinition([q('q1', 'scale', { scale: 'lumpy' })]), shared);
    expect(result.problems).toEqual([{ path: 'sections.s1.questions.q1.scale', message: "scale 'lumpy' gives the value 1 to two points" }]);
  });

  it('reports a definition checked without any shared file', () => {
    const result = checkDefinition(rawDefinition([q('q1', 'scale'), q('q2', 'single_choice', { options: [{ from: 'colours' }] })]), {
      scales: {},
      lists: {},
    });
    expect(result.problems).toEqual([
      { path: 'sections.s1.questions.q1.scale', message: "unknown scale 'agree' (shared scales: none)" },
      { path: 'sections.s1.questions.q2.options.0.from', message: "unknown shared list 'colours' (shared lists: none)" },
    ]);
  });
});

describe('checkDefinition: a valid definition', () => {
  function validRaw(): Raw {
    return rawDefinitionWithSections(
      [
        section('about', [
          q('attended', 'yes_no', { required: true, dont_know: true }),
          q('meetings', 'multi_choice', { options: [{ from: 'meetings' }], show_if: 'attended == yes', max_selections: 3 }),
          q('colour', 'single_choice', { options: [{ from: 'colours' }, option('other', { specify: true })] }),
        ]),
        section(
          'views',
          [
            q('agree_forum', 'scale', { show_if: '"2010_puerto_vallarta" in meetings and not attended == no' }),
            q('links', 'matrix', { scale: 'support', rows: [{ from: 'colours' }] }),
            q('budget', 'numeric', { min: 0, max: 100, integer: true, unit: tr('percent') }),
            q('colour_multi', 'multi_choice', { options: [{ from: 'colours' }] }),
            q('priorities', 'ranking', { options: [{ from: 'colours' }], max_ranked: 2, show_if: 'any of red, blue in colour_multi or colour != red' }),
            q('comment', 'long_text', { help: tr('Anything else') }),
            q('country', 'country', { identifying: true }),
          ],
          { intro: tr('Your views') },
        ),
      ],
      { description: tr('About the forum'), open_registration: true },
    );
  }

  it('passes and resolves shared lists and scales into the definition', () => {
    const shared = common();
    const result = checkDefinition(validRaw(), shared);
    expect(result.problems).toEqual([]);
    if (!result.ok) throw new Error('expected a valid definition');
    const definition = result.value;
    expect(definition.sections.map((s) => s.id)).toEqual(['about', 'views']);
    const byId = new Map<string, Question>(definition.sections.flatMap((s) => s.questions.map((x) => [x.id, x] as const)));

    const meetings = byId.get('meetings');
    expect(meetings?.type === 'multi_choice' && meetings.options).toEqual(shared.lists['meetings']);

    const colour = byId.get('colour');
    expect(colour?.type === 'single_choice' && colour.options.map((o) => o.code)).toEqual(['red', 'green', 'blue', 'other']);
    expect(colour?.type === 'single_choice' && colour.options[0]).toEqual({ code: 'red', label: tr('Option red') });
    expect(colour?.type === 'single_choice' && colour.options[3]?.specify).toBe(true);

    const agree = byId.get('agree_forum');
    expect(agree?.type === 'scale' && agree.scale).toEqual({ name: 'agree', ...shared.scales['agree'] });

    const links = byId.get('links');
    expect(links?.type === 'matrix' && links.scale.name).toBe('support');
    expect(links?.type === 'matrix' && links.scale.non_substantive).toEqual([]);
    expect(links?.type === 'matrix' && links.rows.map((r) => r.code)).toEqual(['red', 'green', 'blue']);

    const priorities = byId.get('priorities');
    expect(priorities?.type === 'ranking' && priorities.options.map((o) => o.code)).toEqual(['red', 'green', 'blue']);
  });

  it('fills in the defaults', () => {
    const result = checkDefinition(rawDefinition([q('q1', 'short_text'), q('q2', 'long_text'), q('q3', 'country')]), common());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.open_registration).toBe(false);
    const [short, long, country] = result.value.sections[0]!.questions;
    expect(short).toMatchObject({ required: false, max_length: 200 });
    expect(long).toMatchObject({ required: false, max_length: 2000 });
    expect(country).toMatchObject({ required: false, countries: 'un_members' });
  });

  it('trims texts and show_if', () => {
    const raw = rawDefinition([
      q('q1', 'yes_no', { text: { en: '  Did you attend?  ', fr: 'Avez-vous participé ?', es: '¿Participó?' } }),
      q('q2', 'yes_no', { show_if: '  q1 == yes  ' }),
    ]);
    const result = checkDefinition(raw, common());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [q1, q2] = result.value.sections[0]!.questions;
    expect(q1?.text.en).toBe('Did you attend?');
    expect(q2?.show_if).toBe('q1 == yes');
  });

  it('accepts skip logic on numeric, text and country answers without checking codes', () => {
    const raw = rawDefinition([q('n', 'numeric'), q('t', 'short_text'), q('c', 'country'), q('q', 'yes_no', { show_if: 'n == 3 or t != none or c == SEN' })]);
    expect(problemsOf(raw)).toEqual([]);
  });

  it('accepts quoted codes and a yes/no question with "don\'t know"', () => {
    const raw = rawDefinition([
      q('q1', 'yes_no', { dont_know: true }),
      q('q2', 'multi_choice', { options: [{ from: 'meetings' }] }),
      q('q3', 'yes_no', { show_if: "q1 == dk or ('2009_athens' in q2 and not none in q2)" }),
    ]);
    expect(problemsOf(raw)).toEqual([]);
  });

  it('accepts a ranking whose options are one shared list (counted after expansion)', () => {
    const result = checkDefinition(rawDefinition([q('q1', 'ranking', { options: [{ from: 'colours' }] })]), common());
    expect(result.problems).toEqual([]);
    const ranking = result.ok ? result.value.sections[0]?.questions[0] : undefined;
    expect(ranking?.type === 'ranking' && ranking.options.length).toBe(3);
  });

  it('does not change the raw object it is given', () => {
    const raw = validRaw();
    const before = JSON.stringify(raw);
    checkDefinition(raw, common());
    expect(JSON.stringify(raw)).toBe(before);
  });
});

describe('checkCommon', () => {
  it('accepts the fixture shared file and fills in defaults', () => {
    const result = checkCommon(rawCommon());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.scales['support']?.non_substantive).toEqual([]);
    expect(Object.keys(result.value.lists)).toEqual(['colours', 'meetings']);
  });

  it('accepts an empty file (no scales, no lists)', () => {
    expect(checkCommon(null)).toEqual({ ok: true, value: { scales: {}, lists: {} }, problems: [] });
    expect(checkCommon({})).toEqual({ ok: true, value: { scales: {}, lists: {} }, problems: [] });
  });

  it('reports a code used twice in a scale (points and non-substantive)', () => {
    const raw = rawCommon();
    const scales = raw['scales'] as Record<string, Raw>;
    scales['agree']!['non_substantive'] = [{ code: '3', label: tr('Not applicable') }];
    expect(checkCommon(raw).problems).toEqual([{ path: 'scales.agree', message: "duplicate code '3'" }]);
  });

  it('accepts a top box of the highest points, in any order', () => {
    const raw = rawCommon();
    const scales = raw['scales'] as Record<string, Raw>;
    scales['agree']!['top_box'] = ['3'];
    scales['support']!['top_box'] = ['support'];
    const result = checkCommon(raw);
    expect(result.problems).toEqual([]);
    if (result.ok) expect(result.value.scales['agree']?.top_box).toEqual(['3']);
  });

  it.each([
    [['dk'], [{ path: 'scales.agree.top_box.0', message: "'dk' is not a point of the scale (points: 1, 2, 3)" }]],
    [['3', 'agree'], [{ path: 'scales.agree.top_box.1', message: "'agree' is not a point of the scale (points: 1, 2, 3)" }]],
    [['3', '3'], [{ path: 'scales.agree.top_box', message: "duplicate code '3'" }]],
    [['1', '2', '3'], [{ path: 'scales.agree.top_box', message: 'the top box cannot hold every point of the scale (3 points)' }]],
    [['2'], [{ path: 'scales.agree.top_box', message: "the top box must be the highest points of the scale: with 1, '3' (by value), not '2'" }]],
    [['1', '3'], [{ path: 'scales.agree.top_box', message: "the top box must be the highest points of the scale: with 2, '3', '2' (by value), not '1', '3'" }]],
    [[], [{ path: 'scales.agree.top_box', message: 'top_box needs at least one point; leave it out for a scale without a top box' }]],
  ])('reports the top box %j precisely', (topBox, problems) => {
    const raw = rawCommon();
    (raw['scales'] as Record<string, Raw>)['agree']!['top_box'] = topBox;
    expect(checkCommon(raw).problems).toEqual(problems);
  });

  it('reports a code used twice in a list', () => {
    const raw = rawCommon();
    const lists = raw['lists'] as Record<string, Raw[]>;
    lists['colours']!.push(option('red'));
    expect(checkCommon(raw).problems).toEqual([{ path: 'lists.colours', message: "duplicate option code 'red'" }]);
  });

  it('reports a missing translation in a list with the option code in the path', () => {
    const raw = rawCommon();
    const lists = raw['lists'] as Record<string, Raw[]>;
    lists['colours']!.push({ code: 'white', label: { en: 'White', fr: 'Blanc' } });
    expect(checkCommon(raw).problems).toEqual([{ path: 'lists.colours.white.label.es', message: 'missing Spanish translation' }]);
  });

  it('reports a scale with a single point, a bad scale name and an unknown field', () => {
    const raw = {
      scales: { one: { points: [{ code: '1', value: 1, label: tr('One') }] }, 'Bad Name': rawCommon()['scales'] },
      colours: [],
    };
    expect(checkCommon(raw).problems).toEqual(
      expect.arrayContaining([
        { path: 'scales.one.points', message: 'a scale needs at least two points' },
        { path: 'colours', message: "unknown field 'colours'" },
      ]),
    );
    expect(checkCommon(raw).problems.some((p) => p.path.startsWith('scales.Bad Name'))).toBe(true);
  });
});

/**
 * Synthetic answers to a questionnaire, generated from its definition: the questions are walked
 * in order, those hidden by skip logic (given the answers so far) are skipped, required ones are
 * always answered and optional ones about 70% of the time. What is chosen comes from the
 * respondent's leanings (see `opinion-model.ts`). Pure: same definition, profile and generator
 * state, same answers.
 */
import { questionOfKey, specifyKey, type Answers, type AnswerValue } from '../../survey-definitions/answers.ts';
import { countryChoices } from '../../survey-definitions/countries.ts';
import { allQuestions, type Option, type Question, type Scale, type SurveyDefinition } from '../../survey-definitions/types.ts';
import { validateAnswers } from '../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import { CODE_TILTS, NUMBER_HINTS, QUESTION_TILTS } from './answer-tilts.ts';
import {
  leaningScore,
  profileFacts,
  questionStem,
  respondentLeanings,
  ROLE_OPTION_CODES,
  type Leanings,
  type RespondentProfile,
  type Tilt,
} from './opinion-model.ts';
import { specifyPhrases, textPhrases } from './phrase-bank.ts';
import { hashUnit, type Random } from './random.ts';

export type { RespondentProfile } from './opinion-model.ts';

/** Share of shown optional questions that get an answer. */
export const OPTIONAL_ANSWER_RATE = 0.7;
/** Mean share of "don't know" (or other non-substantive) answers on scales. */
export const DONT_KNOW_RATE = 0.08;
/** Ratings lean a little positive, as they do in practice. */
const RATING_OPTIMISM = 0.4;
/** Options that mean "don't know" in single choices and the like. */
const DONT_KNOW_CODES = new Set(['dk', 'nb', 'na']);

interface Context {
  profile: RespondentProfile;
  leanings: Leanings;
  facts: Set<string>;
  /** This respondent's chance of "don't know" on a scale (respondents differ: 2% to 14%). */
  dkRate: number;
  random: Random;
}

type Generated = { value: AnswerValue; specify?: string } | undefined;

/**
 * Answers of one synthetic respondent. Not validated: see {@link generateValidAnswers}.
 *
 * @example
 *   const answers = generateAnswers(definition, profile, createRandom('7:answers:0'));
 */
export function generateAnswers(definition: SurveyDefinition, profile: RespondentProfile, random: Random): Answers {
  const context: Context = {
    profile,
    leanings: respondentLeanings(profile, random),
    facts: profileFacts(profile),
    dkRate: DONT_KNOW_RATE * (0.25 + 1.5 * random.next()),
    random,
  };
  const answers: Answers = {};
  for (const question of allQuestions(definition)) {
    // A condition refers only to earlier questions, so the answers so far decide it.
    if (question.show_if && hiddenQuestions(definition, answers).has(question.id)) continue;
    if (!question.required && !random.chance(OPTIONAL_ANSWER_RATE)) continue;
    const generated = answerQuestion(question, context);
    if (!generated) continue;
    answers[question.id] = generated.value;
    if (generated.specify !== undefined) answers[specifyKey(question.id)] = generated.specify;
  }
  return answers;
}

/** A generated answer set that failed validation: a bug of the generator, never stored. */
export class InvalidDemoAnswersError extends Error {}

/**
 * {@link generateAnswers}, checked with `validateAnswers` in submit mode.
 *
 * @throws InvalidDemoAnswersError listing the problems, if the answers are not a valid submission.
 */
export function generateValidAnswers(definition: SurveyDefinition, profile: RespondentProfile, random: Random): Answers {
  const answers = generateAnswers(definition, profile, random);
  const { problems } = validateAnswers(definition, answers, 'submit');
  if (problems.length) {
    throw new InvalidDemoAnswersError(`demo answers for ${definition.id} are invalid: ${JSON.stringify(problems)} in ${JSON.stringify(answers)}`);
  }
  return answers;
}

/**
 * The answers of the first `sections` sections only: where a respondent who has not finished
 * stopped. Answers of later questions (and their "please specify" texts) are dropped.
 */
export function answersOfFirstSections(definition: SurveyDefinition, answers: Answers, sections: number): Answers {
  const kept = new Set(definition.sections.slice(0, sections).flatMap((s) => s.questions.map((q) => q.id)));
  return Object.fromEntries(Object.entries(answers).filter(([key]) => kept.has(questionOfKey(key))));
}

function answerQuestion(question: Question, c: Context): Generated {
  const stem = questionStem(question.id);
  switch (question.type) {
    case 'country': {
      const choices = countryChoices(question.countries);
      return { value: choices.some((x) => x.code === c.profile.country) ? c.profile.country : c.random.pick(choices).code };
    }
    case 'single_choice':
      return chooseOne(question.options, stem, c);
    case 'multi_choice':
      return chooseSeveral(question, stem, c);
    case 'ranking':
      return rank(question, c);
    case 'yes_no':
      return { value: yesOrNo(question.dont_know === true, QUESTION_TILTS[stem], c) };
    case 'scale':
      return { value: rate(question.scale, stem, QUESTION_TILTS[stem], c) };
    case 'matrix': {
      const value: Record<string, string> = {};
      // An optional matrix is answered whole or not at all (it was kept by the 70% draw).
      for (const row of question.rows) value[row.code] = rate(question.scale, row.code, CODE_TILTS[row.code], c);
      return { value };
    }
    case 'numeric':
      return { value: amount(question, stem, c) };
    case 'short_text':
    case 'long_text':
      return { value: freeText(stem, question.max_length, c) };
  }
}

const utility = (code: string, c: Context) => (CODE_TILTS[code]?.base ?? 0) + leaningScore(CODE_TILTS[code], c.leanings);

/** A single choice: a fact about the respondent if one matches, else a softmax over utilities. */
function chooseOne(options: readonly Option[], stem: string, c: Context): Generated {
  const fact = options.find((o) => c.facts.has(o.code));
  if (fact) return withSpecify(fact, stem, c);
  const dontKnow = options.filter((o) => DONT_KNOW_CODES.has(o.code));
  if (dontKnow.length && c.random.chance(c.dkRate * 0.7)) return { value: c.random.pick(dontKnow).code };
  const specify = options.filter((o) => o.specify);
  if (specify.length && c.random.chance(0.04)) return withSpecify(c.random.pick(specify), stem, c);
  const candidates = options.filter((o) => !o.specify && !DONT_KNOW_CODES.has(o.code));
  if (!candidates.length) return withSpecify(c.random.pick(options), stem, c);
  let best = candidates[0]!;
  let bestScore = -Infinity;
  for (const option of candidates) {
    const score = utility(option.code, c) + c.random.gumbel();
    if (score > bestScore) [best, bestScore] = [option, score];
  }
  return { value: best.code };
}

function withSpecify(option: Option, stem: string, c: Context): Generated {
  return option.specify ? { value: option.code, specify: c.random.pick(specifyPhrases(stem, c.profile.language)) } : { value: option.code };
}

/** The logit of a share, for shares kept away from 0 and 1. */
const logit = (p: number) => Math.log(Math.max(p, 1e-4) / Math.max(1 - p, 1e-4));

/**
 * A multiple choice. Each option is ticked with its own probability (see `Tilt.p`), pushed by the
 * leanings; an exclusive option ("none of these") is occasionally the whole answer. Minimum and
 * maximum counts are met by adding or dropping the options of highest and lowest pull.
 */
function chooseSeveral(question: Extract<Question, { type: 'multi_choice' }>, stem: string, c: Context): Generated {
  const exclusive = question.options.filter((o) => o.exclusive);
  const ordinary = question.options.filter((o) => !o.exclusive);
  if (ordinary.some((o) => ROLE_OPTION_CODES.has(o.code))) {
    // A question about the respondent's roles: exactly its facts, or "none of these".
    const facts = ordinary.filter((o) => c.facts.has(o.code)).map((o) => o.code);
    if (facts.length || exclusive.length) return { value: facts.length ? facts.slice(0, question.max_selections) : [exclusive[0]!.code] };
  }
  for (const option of exclusive) {
    const tilt = CODE_TILTS[option.code];
    if (logit(tilt?.p ?? 0.04) + leaningScore(tilt, c.leanings) + c.random.logistic() > 0) return { value: [option.code] };
  }
  // Long lists get fewer ticks per option: about 2.5 of 20 topics, 3 of 10 options.
  const defaultShare = Math.min(0.3, 2.5 / ordinary.length);
  const pulls = ordinary.map((o) => {
    const tilt = CODE_TILTS[o.code];
    const fact = c.facts.has(o.code) ? 10 : 0;
    return { option: o, pull: logit(tilt?.p ?? (o.specify ? 0.05 : defaultShare)) + leaningScore(tilt, c.leanings) + fact + c.random.logistic() };
  });
  const byPull = [...pulls].sort((a, b) => b.pull - a.pull);
  const min = Math.min(ordinary.length, Math.max(question.min_selections ?? 0, question.required ? 1 : 0));
  const max = Math.min(ordinary.length, question.max_selections ?? ordinary.length);
  const count = Math.min(max, Math.max(min, pulls.filter((p) => p.pull > 0).length));
  const chosen = new Set(byPull.slice(0, count).map((p) => p.option.code));
  if (!chosen.size) return question.required && exclusive.length ? { value: [exclusive[0]!.code] } : undefined;
  const value = ordinary.filter((o) => chosen.has(o.code));
  const specifyOption = value.find((o) => o.specify);
  return { value: value.map((o) => o.code), ...(specifyOption ? { specify: c.random.pick(specifyPhrases(stem, c.profile.language)) } : {}) };
}

/** A ranking: options ordered by pull plus noise; most rank as many as allowed. */
function rank(question: Extract<Question, { type: 'ranking' }>, c: Context): Generated {
  const max = Math.min(question.options.length, question.max_ranked ?? question.options.length);
  const min = Math.min(max, question.min_ranked ?? 1);
  const count = c.random.chance(0.7) ? max : c.random.int(min, max);
  const ranked = question.options
    .map((o) => ({ option: o, score: utility(o.code, c) + c.random.gumbel() }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count);
  // Rankings have no "please specify" option (the definition checks refuse one).
  return { value: ranked.map((r) => r.option.code) };
}

function yesOrNo(dontKnow: boolean, tilt: Tilt | undefined, c: Context): string {
  if (tilt?.fact !== undefined) return c.facts.has(tilt.fact) || c.random.chance(tilt.p ?? 0) ? 'yes' : 'no';
  if (dontKnow && c.random.chance(c.dkRate)) return 'dk';
  return (tilt?.base ?? 0) + leaningScore(tilt, c.leanings) + c.random.logistic() > 0 ? 'yes' : 'no';
}

/**
 * A point of a scale. A latent opinion in "points of a five-point scale" (the code's tilt, a
 * stable offset per item so that items differ, noise) is placed around the scale's middle and
 * rounded. Scales of four points or more are evaluative, so general regard for the Forum and a
 * slight optimism apply; three-point scales (too weak / about right / too strong; oppose /
 * neutral / support) are positions, where they do not.
 */
function rate(scale: Scale, item: string, tilt: Tilt | undefined, c: Context): string {
  // Civil society knows the inner workings of the structures less well: twice the "don't know".
  const dkRate = c.profile.kind === 'civil_society' && (tilt?.structures ?? 0) > 0 ? c.dkRate * 2 : c.dkRate;
  if (scale.non_substantive.length && c.random.chance(dkRate)) return c.random.pick(scale.non_substantive).code;
  const points = [...scale.points].sort((a, b) => a.value - b.value);
  const steps = points.length - 1;
  let latent = (tilt?.base ?? 0) + leaningScore(tilt, c.leanings) + (hashUnit(item) - 0.5) * 0.7 + c.random.normal(0, 0.9);
  if (points.length >= 4) latent += RATING_OPTIMISM + c.leanings.favour;
  const index = Math.round(steps / 2 + (latent * steps) / 4);
  return points[Math.min(steps, Math.max(0, index))]!.code;
}

function amount(question: Extract<Question, { type: 'numeric' }>, stem: string, c: Context): number {
  const hint = NUMBER_HINTS[stem];
  const min = question.min ?? 0;
  let value: number;
  if (hint) value = Math.round((hint.median * Math.exp(c.random.normal(0, hint.spread))) / hint.step) * hint.step;
  else if (question.max !== undefined) value = min + c.random.next() * (question.max - min);
  else value = min + 100 * Math.exp(c.random.normal(0, 1));
  const max = question.max ?? Infinity;
  if (question.integer) return Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(value)));
  return Math.min(max, Math.max(min, Math.round(value * 100) / 100));
}

/** One or two sentences of the phrase bank, within the question's length limit. */
function freeText(stem: string, maxLength: number, c: Context): string {
  const phrases = textPhrases(stem, c.profile.kind, c.profile.language);
  const first = c.random.pick(phrases);
  const second = c.random.pick(phrases);
  const text = c.random.chance(0.35) && second !== first ? `${first} ${second}` : first;
  const characters = [...text];
  if (characters.length <= maxLength) return text;
  return [...first].length <= maxLength ? first : characters.slice(0, maxLength).join('').trim();
}

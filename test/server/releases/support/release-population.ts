/**
 * The adversarial government population of the release tests (test/fixtures/surveys-release):
 * Africa has one donor among six, Oceania's only Steering Group member is alone there.
 */
import type { Answers } from '../../../../survey-definitions/answers.ts';

/** Regions and the number of governments that answer in each. */
export const RELEASE_POPULATION: readonly { region: string; size: number }[] = [
  { region: 'Africa', size: 6 },
  { region: 'Americas', size: 9 },
  { region: 'Asia', size: 10 },
  { region: 'Europe', size: 12 },
  { region: 'Oceania', size: 3 },
];

/** The answers of the `i`-th government of a region. */
export function releaseAnswers(region: string, i: number): Answers {
  const donor = region === 'Africa' ? i === 0 : region === 'Oceania' ? false : i % 2 === 0;
  return {
    g_contributed: donor ? 'yes' : 'no',
    ...(donor ? { g_channel: i % 4 === 0 ? 'support_unit' : 'chair' } : {}),
    g_support: String(1 + ((i * 7 + region.length) % 5)),
    g_meetings: i % 3 === 0 ? ['m2009', 'm2010'] : i % 3 === 1 ? ['m2010'] : ['m2009'],
  };
}

/** The GFMD roles of the `i`-th government of a region. */
export function releaseRoles(region: string, i: number): string[] {
  if (region === 'Oceania') return i === 0 ? ['steering_group'] : [];
  return i % 4 === 1 ? ['steering_group'] : i % 4 === 2 ? ['working_group'] : [];
}

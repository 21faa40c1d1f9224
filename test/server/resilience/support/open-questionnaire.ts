/**
 * The respondent-flow questionnaire `flow-gov` (test/fixtures/surveys-flow), open around today:
 * tests that run the real server use the real clock, and the fixture's own dates are fixed.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Answers } from '../../../../survey-definitions/answers.ts';

const FIXTURE = path.resolve('test/fixtures/surveys-flow');

/** Writes `flow-gov` (opened a year ago, closing in a year) and its shared lists into `dir`. */
export function writeOpenQuestionnaire(dir: string, now = new Date()): string {
  mkdirSync(dir, { recursive: true });
  const day = (offsetDays: number) => new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  copyFileSync(path.join(FIXTURE, 'common.yaml'), path.join(dir, 'common.yaml'));
  const source = readFileSync(path.join(FIXTURE, 'flow-gov.yaml'), 'utf8')
    .replace(/^opens: .*$/m, `opens: "${day(-365)}"`)
    .replace(/^closes: .*$/m, `closes: "${day(365)}"`);
  writeFileSync(path.join(dir, 'flow-gov.yaml'), source);
  return dir;
}

/**
 * A complete set of answers to `flow-gov`, different for every client and round, already in the
 * form the server stores (codes as written, country codes upper-case), so what is stored can be
 * compared with what was sent as is.
 */
export function completeAnswers(client: number, round: number): Answers {
  const attended = (client + round) % 2 === 0;
  return {
    q_role: ['ministry', 'mission'][round % 2]!,
    q_attended: attended ? 'yes' : 'no',
    ...(attended ? { q_meetings: round % 3 === 0 ? ['m2008', 'm2010'] : ['m2009'] } : {}),
    q_ratings: { relevant: String(1 + (round % 3)), efficient: round % 4 === 0 ? 'dk' : '2' },
    q_staff: client * 7 + round,
    q_comment: `client ${client}, round ${round}`,
    q_priorities: round % 2 ? ['remittances', 'labour'] : ['diaspora'],
    q_host: ['SEN', 'MEX', 'PHL'][client % 3]!,
  };
}

/** The rows the `answer` table must hold for {@link completeAnswers}, ordered (question, item, code). */
export function expectedAnswerRows(answers: Answers): { question_id: string; item: string; code: string | null; number: number | null; text: string | null }[] {
  const row = (question_id: string, fields: { item?: string; code?: string | null; number?: number | null; text?: string | null }) => ({
    question_id,
    item: '',
    code: null,
    number: null,
    text: null,
    ...fields,
  });
  const rows = [
    row('q_role', { code: answers.q_role as string }),
    row('q_attended', { code: answers.q_attended as string }),
    ...((answers.q_meetings as string[] | undefined) ?? []).map((code) => row('q_meetings', { code })),
    ...Object.entries(answers.q_ratings as Record<string, string>).map(([item, code]) =>
      row('q_ratings', { item, code, number: code === 'dk' ? null : Number(code) }),
    ),
    row('q_staff', { number: answers.q_staff as number }),
    row('q_comment', { text: answers.q_comment as string }),
    ...(answers.q_priorities as string[]).map((code, index) => row('q_priorities', { item: code, code, number: index + 1 })),
    row('q_host', { code: answers.q_host as string }),
  ];
  const key = (r: (typeof rows)[number]) => [r.question_id, r.item, r.code ?? ''].join('\u0000');
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * How answers are represented everywhere (form, API, validation, storage):
 *
 * | question type                              | value                                   |
 * |--------------------------------------------|-----------------------------------------|
 * | single_choice, yes_no, scale               | option code, e.g. `"agree"`, `"4"`, `"dk"` |
 * | country                                    | ISO 3166-1 alpha-3 code, e.g. `"SEN"`   |
 * | multi_choice                               | array of option codes                   |
 * | ranking                                    | array of option codes, first = rank 1   |
 * | matrix                                     | object: row code -> scale code          |
 * | numeric                                    | number                                  |
 * | short_text, long_text                      | string                                  |
 *
 * The text of an "other, please specify" option is kept under the key `<question id>.other`.
 */
export type AnswerValue = string | number | string[] | Record<string, string>;
export type Answers = Record<string, AnswerValue>;

/**
 * Answers as a client sent them, not yet checked: any JSON value under any key. Only
 * `validateAnswers` turns them into {@link Answers}, naming each question whose value is wrong
 * (a shape check before it would refuse the whole body instead).
 */
export type UncheckedAnswers = Record<string, unknown>;

/** The key under which the "please specify" text of a question is kept. */
export function specifyKey(questionId: string): string {
  return `${questionId}.other`;
}

/**
 * The question an answer key belongs to: a key is a question id, or a question id and a suffix
 * after a dot (`<question id>.other`, see {@link specifyKey}).
 *
 * @example
 * questionOfKey('g_chair.other'); // 'g_chair'
 * questionOfKey('g_chair'); // 'g_chair'
 */
export function questionOfKey(key: string): string {
  const dot = key.indexOf('.');
  return dot === -1 ? key : key.slice(0, dot);
}

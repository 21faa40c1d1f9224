/**
 * An XLSForm workbook as a questionnaire file (the object a questionnaire YAML file holds), with
 * every row, column or feature that could not be carried over, by sheet, row and column.
 *
 * Groups at the top level become sections; a `table-list` group of `select_one` rows on one shared
 * scale becomes a matrix; a group inside a section is flattened into it (its label is dropped, its
 * `relevant` joins each of its questions' `show_if`); repeats, calculations, choice filters and
 * question types we have no counterpart for are refused (essential problems). Notes and metadata
 * (start, end, deviceid…) are left out with a report.
 */
import type { Expression } from '../../survey-definitions/expression.ts';
import type { CommonSource, LocalizedText } from '../../survey-definitions/schema.ts';
import { importQuestionRow, type ChoiceList, type ImportedQuestion } from './import-question.ts';
import { METADATA_TYPES, normaliseType, READ_COLUMNS, readRequired, toolkitFields } from './row-types.ts';
import { NO_PRIVACY_NOTICE, PRIVACY_NOTICE_PLACEHOLDER, readChoiceLists, readSettings } from './import-settings.ts';
import type { TextReader } from './import-texts.ts';
import { printShowIf, relevantToShowIf, type SkipTarget } from './skip-logic.ts';
import { cellAt, cellText, type ConversionProblem, type Sheet, type SheetRow, type XlsFormBook } from './workbook.ts';

export interface ImportOptions {
  /** The shared scales a `select_one` list may stand for. */
  common: CommonSource;
  /** The questionnaire id when the settings sheet has no form_id (e.g. from the file name). */
  fallbackId: string;
  /** Today, YYYY-MM-DD: the opening date when the form gives none. */
  today: string;
}

export interface ImportResult {
  /** The questionnaire file's content; absent when an essential problem stops the conversion. */
  source?: Record<string, unknown>;
  problems: ConversionProblem[];
  /** Texts filled from another language, with the languages filled (to be marked for translation). */
  filled: Map<object, string[]>;
}

/** The name of the note that shows the privacy notice before the first question. */
export const PRIVACY_NOTE = 'privacy_notice';

/** Converts a workbook; see the file's comment for what converts and what is refused. */
export function importXlsForm(book: XlsFormBook, options: ImportOptions): ImportResult {
  const problems: ConversionProblem[] = [];
  const settings = readSettings(book, options, problems);
  const texts = settings.texts;
  const lists = readChoiceLists(book.choices, texts, problems);
  const walker = new SurveyWalker(book.survey, { texts, problems, lists, common: options.common, formTitle: settings.title });
  walker.walk();
  const essential = problems.some((p) => p.essential);
  if (walker.sections.length === 0 && !essential)
    problems.push({ sheet: book.survey.name, message: 'the form has no question we can convert', essential: true });
  let privacyNotice = walker.privacyNote;
  if (!privacyNotice) {
    privacyNotice = { ...PRIVACY_NOTICE_PLACEHOLDER };
    problems.push({ sheet: book.settings?.name ?? 'settings', ...(book.settings ? { row: 2 } : {}), message: NO_PRIVACY_NOTICE, essential: false });
  }
  const source = problems.some((p) => p.essential) ? undefined : { ...settings.fields, privacy_notice: privacyNotice, sections: walker.sections };
  return { ...(source ? { source } : {}), problems, filled: texts.filled };
}

interface WalkContext {
  texts: TextReader;
  problems: ConversionProblem[];
  lists: Map<string, ChoiceList>;
  common: CommonSource;
  formTitle: LocalizedText;
}

type Frame =
  | { kind: 'section'; row: number; conditions: Expression[] }
  | { kind: 'flattened'; row: number; conditions: Expression[] }
  | { kind: 'matrix'; row: SheetRow; conditions: Expression[]; rows: SheetRow[] }
  | { kind: 'skipped'; row: number; end: string };

interface SectionOut {
  id: string;
  title: unknown;
  intro?: unknown;
  questions: Record<string, unknown>[];
}

/** Walks the survey sheet row by row, keeping the open groups on a stack. */
class SurveyWalker {
  readonly sections: SectionOut[] = [];
  private readonly stack: Frame[] = [];
  private current: SectionOut | undefined;
  /** Earlier questions by XLSForm name, for skip logic. */
  private readonly earlier = new Map<string, SkipTarget>();
  private readonly ids = new Map<string, string>();
  private readonly leftOutColumns = new Map<string, { row: number; count: number }>();
  private lastChoice: { name: string; question: Record<string, unknown> } | undefined;
  /** The text of a note named `privacy_notice` outside any group, as the export writes it first. */
  privacyNote: LocalizedText | undefined;

  constructor(
    private readonly sheet: Sheet,
    private readonly ctx: WalkContext,
  ) {}

  private report(row: number, column: string | undefined, message: string, essential: boolean): void {
    this.ctx.problems.push({ ...cellAt(this.sheet, row, column), message, essential });
  }

  walk(): void {
    for (const row of this.sheet.rows) this.readRow(row);
    for (const frame of this.stack) {
      this.report(
        typeof frame.row === 'number' ? frame.row : frame.row.row,
        'type',
        `this ${frame.kind === 'skipped' ? 'repeat' : 'group'} is never closed`,
        true,
      );
    }
    for (const [header, seen] of this.leftOutColumns) {
      this.report(seen.row, header, `not carried over (the column has a value in ${seen.count} row${seen.count === 1 ? '' : 's'})`, false);
    }
  }

  private readRow(row: SheetRow): void {
    const rawType = cellText(row, 'type').trim();
    if (!rawType) return;
    const [type = '', listName = '', extra = ''] = normaliseType(rawType).split(' ');
    const top = this.stack.at(-1);
    if (top?.kind === 'skipped') {
      if (type === top.end) this.stack.pop();
      else if (type === 'begin_repeat') this.stack.push({ kind: 'skipped', row: row.row, end: 'end_repeat' });
      return;
    }
    if (top?.kind === 'matrix' && type !== 'end_group') {
      top.rows.push(row);
      return;
    }
    for (const header of Object.keys(row.cells)) {
      if (READ_COLUMNS.test(header) || row.cells[header]!.trim() === '') continue;
      const seen = this.leftOutColumns.get(header);
      this.leftOutColumns.set(header, { row: seen?.row ?? row.row, count: (seen?.count ?? 0) + 1 });
    }
    switch (type) {
      case 'begin_group':
        this.beginGroup(row);
        return;
      case 'end_group':
        this.endGroup(row);
        return;
      case 'begin_repeat':
        this.report(row.row, 'type', 'a repeat has no counterpart: a questionnaire asks each question once', true);
        this.stack.push({ kind: 'skipped', row: row.row, end: 'end_repeat' });
        return;
      case 'end_repeat':
        this.report(row.row, 'type', "'end repeat' without 'begin repeat'", true);
        return;
      case 'note':
        this.note(row);
        return;
      case 'calculate':
        this.report(row.row, 'type', `a calculation ("${cellText(row, 'calculation')}") has no counterpart: questionnaires store only answers`, true);
        return;
    }
    if (METADATA_TYPES.has(type)) {
      this.report(
        row.row,
        'type',
        `the metadata field '${type}' is left out (the phone fills it in; the toolkit keeps its own records of who answered when)`,
        false,
      );
      return;
    }
    if (['select_one', 'select_multiple', 'rank', 'integer', 'decimal', 'text'].includes(type)) {
      this.question(row, type, listName, extra === 'or_other');
      return;
    }
    this.report(row.row, 'type', `the question type '${rawType}' has no counterpart in the questionnaires`, true);
  }

  private sectionFor(row: SheetRow): SectionOut {
    if (!this.current) {
      this.current = { id: this.uniqueId(`section_${this.sections.length + 1}`, row.row), title: this.ctx.texts.copy(this.ctx.formTitle), questions: [] };
      this.sections.push(this.current);
    }
    return this.current;
  }

  private conditions(): Expression[] {
    return this.stack.flatMap((frame) => (frame.kind === 'skipped' ? [] : frame.conditions));
  }

  /** The group's own condition, or nothing (with a report) when it cannot be read. */
  private groupCondition(row: SheetRow): Expression[] {
    const relevant = cellText(row, 'relevant').trim();
    if (!relevant) return [];
    const result = relevantToShowIf(relevant, (name) => this.earlier.get(name));
    if (result.ok) return [result.expression];
    this.report(row.row, 'relevant', `"${relevant}" cannot be expressed as a show_if condition: ${result.reason}`, true);
    return [];
  }

  private beginGroup(row: SheetRow): void {
    const conditions = this.groupCondition(row);
    if (/\btable-list\b/.test(cellText(row, 'appearance'))) {
      this.stack.push({ kind: 'matrix', row, conditions, rows: [] });
      return;
    }
    if (this.stack.length === 0) {
      const name = cellText(row, 'name').trim() || `section_${this.sections.length + 1}`;
      const title = this.ctx.texts.read(this.sheet, row, 'label');
      if (!title) this.report(row.row, 'label', `the group '${name}' has no label: its name is used as the section's title`, false);
      this.current = { id: this.uniqueId(name, row.row), title: title ?? { en: name, fr: name, es: name }, questions: [] };
      this.sections.push(this.current);
      this.stack.push({ kind: 'section', row: row.row, conditions });
      return;
    }
    this.report(
      row.row,
      'type',
      `the group '${cellText(row, 'name')}' inside another group is flattened into its section (its label is left out; its relevant applies to each of its questions)`,
      false,
    );
    this.stack.push({ kind: 'flattened', row: row.row, conditions });
  }

  private endGroup(row: SheetRow): void {
    const frame = this.stack.pop();
    if (!frame) {
      this.report(row.row, 'type', "'end group' without 'begin group'", true);
      return;
    }
    if (frame.kind === 'matrix') this.matrix(frame);
    if (frame.kind === 'section') {
      if (this.current && this.current.questions.length === 0) {
        this.sections.pop();
        this.report(frame.row, 'type', `the group '${this.current.id}' holds no question we convert: it is left out`, false);
      }
      this.current = undefined;
    }
  }

  private note(row: SheetRow): void {
    const top = this.stack.at(-1);
    if (!top && cellText(row, 'name').trim() === PRIVACY_NOTE && this.privacyNote === undefined) {
      this.privacyNote = this.ctx.texts.read(this.sheet, row, 'label');
      if (this.privacyNote) return;
    }
    if (top?.kind === 'section' && this.current && this.current.questions.length === 0 && this.current.intro === undefined) {
      const intro = this.ctx.texts.read(this.sheet, row, 'label');
      if (intro) {
        this.current.intro = intro;
        return;
      }
    }
    this.report(row.row, 'type', 'a note is left out (only a note opening a group is kept, as the section introduction)', false);
  }

  private uniqueId(name: string, row: number, column = 'name'): string {
    let id = name
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (!/^[a-z]/.test(id)) id = `q_${id}`;
    if (id !== name) this.report(row, column, `the name '${name}' is written '${id}' (lower-case letters, digits and underscores)`, false);
    let unique = id;
    for (let n = 2; this.ids.has(unique); n++) unique = `${id}_${n}`;
    if (unique !== id) this.report(row, column, `the name '${id}' is already used: '${unique}' is used instead`, false);
    this.ids.set(unique, name);
    return unique;
  }

  /** The fields every question has: id, text, help, required, show_if, and the toolkit fields. */
  private baseFields(row: SheetRow): Record<string, unknown> | undefined {
    const name = cellText(row, 'name').trim();
    if (!name) {
      this.report(row.row, 'name', 'the question has no name', true);
      return undefined;
    }
    const text = this.ctx.texts.read(this.sheet, row, 'label');
    if (!text) this.report(row.row, 'label', `the question '${name}' has no label in English, French or Spanish`, true);
    const help = this.ctx.texts.read(this.sheet, row, 'hint');
    const conditions = this.conditions();
    const relevant = cellText(row, 'relevant').trim();
    if (relevant) {
      const result = relevantToShowIf(relevant, (n) => this.earlier.get(n));
      if (result.ok) conditions.push(result.expression);
      else this.report(row.row, 'relevant', `"${relevant}" cannot be expressed as a show_if condition: ${result.reason}`, true);
    }
    const required = readRequired(cellText(row, 'required'));
    if (required === undefined)
      this.report(row.row, 'required', `"${cellText(row, 'required')}" is not yes or no: a condition on required has no counterpart`, true);
    if (cellText(row, 'choice_filter').trim())
      this.report(row.row, 'choice_filter', `a choice filter ("${cellText(row, 'choice_filter')}") has no counterpart: every choice is always offered`, true);
    return {
      id: this.uniqueId(name, row.row),
      ...(required ? { required: true } : {}),
      ...(conditions.length ? { show_if: printShowIf(conditions.length === 1 ? conditions[0]! : { kind: 'and', items: conditions }) } : {}),
      text: text ?? {},
      ...(help ? { help } : {}),
      ...toolkitFields(row),
    };
  }

  private add(row: SheetRow, imported: ImportedQuestion): void {
    const question = imported.question;
    this.sectionFor(row).questions.push(question);
    const name = cellText(row, 'name').trim();
    this.earlier.set(name, { id: question.id as string, shape: imported.shape });
    this.lastChoice = question.type === 'single_choice' || question.type === 'multi_choice' ? { name, question } : undefined;
  }

  private question(row: SheetRow, type: string, listName: string, orOther: boolean): void {
    if (type === 'text' && this.specifyText(row)) return;
    const base = this.baseFields(row);
    if (!base) return;
    const imported = importQuestionRow({ sheet: this.sheet, row, ...this.ctx }, base, type, listName, orOther);
    if (imported) this.add(row, imported);
  }

  /**
   * A text question right after a choice question, named `<question>_<choice>` and shown only when
   * that choice is selected, is the choice's "please specify": the option gets `specify: true`.
   */
  private specifyText(row: SheetRow): boolean {
    const last = this.lastChoice;
    const name = cellText(row, 'name').trim();
    const relevant = cellText(row, 'relevant').trim();
    if (!last || !relevant || !name.startsWith(`${last.name}_`)) return false;
    const result = relevantToShowIf(relevant, (n) => this.earlier.get(n));
    if (!result.ok) return false;
    const e = result.expression;
    const code = e.kind === 'equals' && !e.negated ? e.value : e.kind === 'includes' && e.values.length === 1 ? e.values[0] : undefined;
    const question = e.kind === 'equals' || e.kind === 'includes' ? e.question : undefined;
    const option = (last.question.options as { code: string; specify?: boolean }[]).find((o) => o.code === code);
    if (question !== last.question.id || !option || name.toLowerCase() !== `${last.name}_${option.code}`.toLowerCase()) return false;
    option.specify = true;
    this.lastChoice = undefined;
    return true;
  }

  private matrix(frame: Extract<Frame, { kind: 'matrix' }>): void {
    const rows = frame.rows.filter((r) => !/\blabel\b/.test(cellText(r, 'appearance')));
    const types = new Set(rows.map((r) => normaliseType(cellText(r, 'type'))));
    const [only] = types;
    const [type, listName = ''] = (only ?? '').split(' ');
    const scale = type === 'select_one' && types.size === 1 && rows.length > 0 ? this.ctx.common.scales[listName] && listName : undefined;
    const groupName = cellText(frame.row, 'name').trim();
    if (!scale) {
      // A grid on a list of its own: its rows become questions of the section.
      this.report(
        frame.row.row,
        'appearance',
        'a table-list group whose rows are not all select_one of one shared scale is flattened into separate questions',
        false,
      );
      this.stack.push({ kind: 'flattened', row: frame.row.row, conditions: frame.conditions });
      for (const r of frame.rows) this.readRow(r);
      this.stack.pop();
      return;
    }
    // The group's own relevant is read again with its other fields, so its conditions are not passed on.
    const base = this.baseFields(frame.row);
    if (!base) return;
    const matrixRows = rows.map((r) => {
      const name = cellText(r, 'name').trim();
      const code = name.startsWith(`${groupName}_`) ? name.slice(groupName.length + 1) : name;
      const label = this.ctx.texts.read(this.sheet, r, 'label');
      if (!label) this.report(r.row, 'label', `the row '${name}' has no label`, true);
      if (cellText(r, 'relevant').trim()) this.report(r.row, 'relevant', 'a matrix row cannot have a condition of its own', true);
      return { code: code.toLowerCase().replace(/[^a-z0-9_]+/g, '_'), label: label ?? {} };
    });
    const required = rows.every((r) => readRequired(cellText(r, 'required')) === true);
    this.add(frame.row, { question: { ...base, ...(required ? { required: true } : {}), type: 'matrix', scale, rows: matrixRows }, shape: 'untestable' });
  }
}

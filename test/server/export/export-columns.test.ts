/**
 * The row file's columns and coding, pure: what is withheld, and that an answer given under an
 * older version is never printed unless the current questionnaire knows it in the same form.
 */
import { describe, expect, it } from 'vitest';
import { allQuestions, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import { codeAnswers, exportColumns, type ExportColumn } from '../../../server/export/export-columns.ts';
import { FileSink } from '../../../server/export/file-sink.ts';
import { loadDefinitions } from '../../../survey-definitions/load-definitions.ts';
import { definition, option, question } from '../../fixtures/survey-definitions.ts';

function context(asked: SurveyDefinition, approvedText = new Map<string, string>()) {
  return { asked: new Map(allQuestions(asked).map((q) => [q.id, q])), hidden: new Set<string>(), approvedText };
}

const byName = (columns: ExportColumn[], cells: string[]) => Object.fromEntries(columns.map((c, i) => [c.name, cells[i]]));

describe('exportColumns', () => {
  it('withholds identifying and country questions, and any question shown only after one of their answers', () => {
    const def = definition([
      question('roles', 'multi_choice', { identifying: true }),
      question('host', 'country'),
      question('troika_detail', 'yes_no', { show_if: 'a in roles' }),
      question('after_host', 'yes_no', { show_if: 'host == SEN' }),
      question('kept', 'yes_no'),
    ]);
    const { columns, withheld } = exportColumns(def);
    expect(columns.map((c) => c.name)).toEqual(['kept']);
    expect(withheld.map((w) => w.questionId)).toEqual(['roles', 'host', 'troika_detail', 'after_host']);
    expect(withheld[2]!.reason).toContain('shown only after an answer to roles');
  });

  it('keeps the organisation type of the shipped civil society survey out of the row file but in the tables', async () => {
    const { definitions } = await loadDefinitions('survey-definitions');
    const cs = definitions.find((d) => d.definition.id === 'civil-society-survey')!.definition;
    const column = exportColumns(cs).columns.find((c) => c.questionId === 'cs_org_type')!;
    expect(column).toMatchObject({ tablesOnly: true, tabulated: 'partition' });
    expect(exportColumns(cs).withheld.map((w) => w.questionId)).toContain('cs_country');
  });

  it('codes the answer to a quasi-identifier question for its tables-only column, so tables.csv counts it', () => {
    const def = definition([
      question('org_type', 'single_choice', { quasi_identifier: true, options: [option('ngo'), option('union')] }),
      question('kept', 'yes_no'),
    ]);
    const { columns } = exportColumns(def);
    expect(columns.find((c) => c.questionId === 'org_type')).toMatchObject({ tablesOnly: true });
    expect(byName(columns, codeAnswers(columns, { org_type: 'union', kept: 'yes' }, context(def)))).toEqual({ org_type: 'union', kept: 'yes' });
    // Asked as a quasi-identifier in an older version but not now: the answer is printed nowhere.
    const older = definition([question('org_type', 'single_choice', { quasi_identifier: true, options: [option('ngo')] })]);
    const now = definition([question('org_type', 'single_choice', { options: [option('ngo')] })]);
    const nowColumns = exportColumns(now).columns;
    expect(byName(nowColumns, codeAnswers(nowColumns, { org_type: 'ngo' }, context(older)))).toEqual({ org_type: '.x' });
  });
});

describe('codeAnswers across versions', () => {
  const current = definition([
    question('partner', 'single_choice', { options: [option('a'), option('b')] }),
    question('staff', 'numeric'),
    question('comment', 'long_text'),
  ]);
  const { columns } = exportColumns(current);

  it('codes answers the current version knows, and gives .o for an option it no longer offers', () => {
    expect(byName(columns, codeAnswers(columns, { partner: 'a', staff: 7 }, context(current)))).toEqual({ partner: 'a', staff: '7', comment: '.a' });
    expect(byName(columns, codeAnswers(columns, { partner: 'dropped_option' }, context(current))).partner).toBe('.o');
  });

  it('never prints an answer to a question asked in another form in the older version (text once, a choice now)', () => {
    const older = definition([question('partner', 'short_text'), question('staff', 'short_text'), question('comment', 'long_text')]);
    const answers = { partner: 'Ms Ana Ruiz, Ministry of Labour', staff: 'ask H.E. John Doe', comment: 'Fine.' };
    const cells = byName(columns, codeAnswers(columns, answers, context(older)));
    expect(cells).toEqual({ partner: '.x', staff: '.x', comment: '.w' });
    expect(JSON.stringify(cells)).not.toContain('Ruiz');
  });

  it('gives .x for a question that was identifying in the version answered, and for one it did not ask', () => {
    const older = definition([question('partner', 'single_choice', { options: [option('a'), option('b')], identifying: true })]);
    expect(byName(columns, codeAnswers(columns, { partner: 'a', staff: 3 }, context(older)))).toEqual({ partner: '.x', staff: '.x', comment: '.x' });
  });

  it('publishes free text only as approved', () => {
    const approved = new Map([['comment', 'Published as approved.']]);
    expect(byName(columns, codeAnswers(columns, { comment: 'Original words of Maria Lopez' }, context(current, approved))).comment).toBe(
      'Published as approved.',
    );
  });
});

describe('FileSink', () => {
  it('throws a write error (a full disk) to the writer instead of crashing the process', async () => {
    const sink = new FileSink('full', '/dev');
    const attempt = (async () => {
      for (let i = 0; i < 64; i++) await sink.write('x'.repeat(64 * 1024));
      await sink.close(false);
    })();
    await expect(attempt).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});

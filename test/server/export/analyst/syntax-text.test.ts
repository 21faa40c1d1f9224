/**
 * The analysts' syntax files as text: names valid in every tool, labels in the questionnaire's
 * languages, numbers for codes and special codes, strings escaped for each language. Stata is not
 * installed here, so labels.do is checked statement by statement (PSPP and R run their files in
 * analyst-files.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../../survey-definitions/load-definitions.ts';
import type { SurveyDefinition } from '../../../../survey-definitions/types.ts';
import { dataDictionary, variableNames, withObservedCodes } from '../../../../server/export/analyst/data-dictionary.ts';
import { rString, rSyntax } from '../../../../server/export/analyst/r-syntax.ts';
import { cutToBytes, spssString, spssSyntax } from '../../../../server/export/analyst/spss-syntax.ts';
import { stataString, stataSyntax } from '../../../../server/export/analyst/stata-syntax.ts';
import { rowFileLayout } from '../../../../server/export/row-file.ts';

async function analysisGov(): Promise<SurveyDefinition> {
  const { definitions } = await loadDefinitions('test/fixtures/surveys-analysis');
  return definitions.find((d) => d.definition.id === 'analysis-gov')!.definition;
}

async function dictionary(language: 'en' | 'fr' | 'es' = 'en') {
  const definition = await analysisGov();
  const layout = rowFileLayout(definition);
  return dataDictionary({ dataFile: 'responses.csv', header: layout.header, columns: layout.columns, definition, language });
}

describe('data dictionary', () => {
  it('gives names valid in SPSS, Stata and R, unique ignoring case, never a reserved word', () => {
    expect(variableNames(['g_bodies.troika', 'g_bodies_troika', 'G_BODIES_TROIKA', 'if', '2010_x', 'a'.repeat(40), 'str12'])).toEqual([
      'g_bodies_troika',
      'g_bodies_troika_2',
      'G_BODIES_TROIKA_3',
      'if_',
      'v2010_x',
      'a'.repeat(32),
      'str12_',
    ]);
  });

  it('numbers scale points by their value, "don\'t know" 97, choices 1…n, special codes -1 to -7', async () => {
    const d = await dictionary();
    const byName = new Map(d.variables.map((v) => [v.name, v]));
    expect(byName.get('g_support')!.values.map((v) => [v.code, v.number])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['4', 4],
      ['5', 5],
      ['dk', 97],
    ]);
    expect(byName.get('g_attended')!.values.map((v) => [v.code, v.number, v.label])).toEqual([
      ['yes', 1, 'Yes'],
      ['no', 2, 'No'],
      ['dk', 3, 'Don’t know'],
    ]);
    expect(byName.get('g_support')!.missing.map((m) => [m.code, m.number])).toEqual([
      ['.h', -1],
      ['.a', -2],
      ['.x', -3],
      ['.o', -4],
      ['.s', -6],
    ]);
    expect(byName.get('g_meetings_m2008')!.values.map((v) => [v.code, v.number])).toEqual([
      ['1', 1],
      ['0', 0],
    ]);
    expect(byName.get('g_priorities_labour')!.missing.map((m) => m.code)).toContain('.n');
    expect(byName.get('g_staff')).toMatchObject({ storage: 'number', level: 'scale' });
    expect(byName.get('g_bodies_troika')).toMatchObject({ storage: 'categorical', level: 'ordinal', label: '5. Each body does its job well. — Troika' });
    expect(byName.get('g_comment')).toMatchObject({ storage: 'text' });
    expect(byName.get('g_comment')!.missing.map((m) => m.code)).toContain('.w');
  });

  it('labels in the language asked for, the question number first', async () => {
    const fr = new Map((await dictionary('fr')).variables.map((v) => [v.name, v]));
    expect(fr.get('g_attended')!.label).toBe('1. Avez-vous assisté à une réunion du Forum ?');
    expect(fr.get('g_attended')!.values.map((v) => v.label)).toEqual(['Oui', 'Non', 'Ne sait pas']);
    expect(fr.get('g_bodies_troika')!.label).toBe('5. Chaque organe remplit bien son rôle. — Troïka');
    expect(fr.get('g_support')!.missing[1]!.label).toBe('sans réponse');
    const es = new Map((await dictionary('es')).variables.map((v) => [v.name, v]));
    expect(es.get('region')!.values.find((v) => v.code === 'Americas')!.label).toBe('Américas');
  });

  it('keeps a code the questionnaire no longer names as a value of its own, not a missing value', async () => {
    const d = await dictionary();
    const at = d.variables.findIndex((v) => v.name === 'g_chair');
    const row = d.variables.map(() => '');
    row[at] = 'elected';
    const chair = withObservedCodes(d, [row]).variables[at]!;
    expect(chair.values.at(-1)).toEqual({ code: 'elected', number: chair.values.length, label: 'elected' });
  });
});

describe('string literals', () => {
  it('SPSS: quotes doubled, one line, long texts joined with +', () => {
    expect(spssString("l'été\r\nnext")).toBe("'l''été next'");
    const long = spssString('x'.repeat(130));
    expect(long.split('\n')).toHaveLength(3);
    expect(long).toMatch(/^'x{60}' \+\n {4}'x{60}' \+\n {4}'x{10}'$/);
    expect(cutToBytes('ééé', 5)).toBe('éé');
  });

  it('Stata: compound quotes; $ and ` escaped so no macro expands; "\' kept apart', () => {
    expect(stataString('Cost in $ "US"')).toBe('`"Cost in \\$ "US""\'');
    expect(stataString("a `b' c")).toBe('`"a \\`b\' c"\'');
    expect(stataString('say "hi"\' there')).toBe('`"say "hi" \' there"\'');
  });

  it('R: ASCII only, other characters as \\u escapes, quotes and backslashes escaped', () => {
    expect(rString('Côte "d\'Ivoire" \\ 🌍')).toBe('"C\\u{00f4}te \\"d\'Ivoire\\" \\\\ \\U{01f30d}"');
    expect(rString('line\nbreak')).toBe('"line\\nbreak"');
  });
});

describe('syntax files', () => {
  it('labels.sps reads the CSV as UTF-8 and declares labels, missing values and levels', async () => {
    const d = await dictionary('fr');
    const sps = spssSyntax(d, ['CONFIDENTIAL', 'two\nlines']);
    expect(sps.split('\n').slice(0, 3)).toEqual(['* Encoding: UTF-8.', '* CONFIDENTIAL.', '* two lines.']);
    expect(sps).toContain("/FILE='responses.csv'\n  /ENCODING='UTF8'");
    expect(sps).toMatch(/RECODE @c\d+\n {2}\('yes'=1\)\n {2}\('no'=2\)\n {2}\('dk'=3\)\n {2}\('\.h'=-1\)/);
    expect(sps).toContain("  g_attended '1. Avez-vous assisté à une réunion du Forum ?'");
    expect(sps).toContain("    1 'Oui'");
    expect(sps).toContain('MISSING VALUES g_support (-6 THRU -1).');
    expect(sps).toContain("MISSING VALUES g_comment ('.w', '.a', '.h').");
    expect(sps).toMatch(/VARIABLE LEVEL [^.]*g_support[^/]*\(ORDINAL\)/);
  });

  it('labels.do imports every column as text, recodes special codes to extended missing values and labels them', async () => {
    const d = await dictionary('fr');
    const n = d.variables.length;
    const g = d.variables.findIndex((v) => v.name === 'g_attended') + 1;
    const doFile = stataSyntax(d, ['RESTRICTED USE ///']);
    const lines = doFile.split('\n');
    expect(lines[0]).toBe('* RESTRICTED USE');
    expect(lines).toContain(
      'import delimited using `"responses.csv"\', varnames(nonames) rowrange(2) stringcols(_all) delimiters(",") bindquotes(strict) encoding("utf-8") clear',
    );
    expect(lines).toContain(`if c(k) != ${n} {`);
    expect(lines).toContain(`replace g_attended = 1 if v${g} == \`"yes"'`);
    expect(lines).toContain(`replace g_attended = .a if v${g} == \`".a"'`);
    expect(lines).toContain(`replace g_attended = .h if v${g} == \`".h"'`);
    expect(lines).toContain('label define g_attended 1 `"Oui"\', replace');
    expect(lines).toContain('label define g_attended .a `"sans réponse"\', add');
    expect(lines).toContain('label values g_attended g_attended');
    expect(lines).toContain('label variable g_attended `"1. Avez-vous assisté à une réunion du Forum ?"\'');
    expect(lines).toContain(`generate double g_staff = real(subinstr(v${d.variables.findIndex((v) => v.name === 'g_staff') + 1}, "'", "", 1))`);
    // Every variable label fits Stata's 80 characters.
    for (const line of lines.filter((l) => l.startsWith('label variable ')))
      expect([...line.replace(/^label variable \S+ `"/, '').replace(/"'$/, '')].length).toBeLessThanOrEqual(80);
  });

  it('labels.R checks the columns, and keeps the reason of every missing value', async () => {
    const r = rSyntax(await dictionary('fr'), ['CONFIDENTIAL']);
    expect(r).toContain('fileEncoding = "UTF-8-BOM"');
    expect(r).toContain('stopifnot(identical(names(d), c("response", "kind"');
    expect(r).toContain('labels = c("Oui", "Non", "Ne sait pas")');
    expect(r).toContain('label = "1. Avez-vous assist\\u{00e9} \\u{00e0} une r\\u{00e9}union du Forum ?"');
    // ASCII only: reads the same in any locale.
    expect(r).toMatch(/^[\x00-\x7f]*$/);
  });
});

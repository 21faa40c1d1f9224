/**
 * Questionnaires in the browser: a broken upload shows its precise problems; a valid one shows a
 * preview, and publishing it makes a new current version while started responses keep theirs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionHash } from '../../../survey-definitions/load-definitions.ts';
import { aliasBomb } from '../../fixtures/survey-definitions.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, FLOW_SURVEYS, WHILE_OPEN, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { elementById, inputValue, visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

const V1 = readFileSync(path.join(FLOW_SURVEYS, 'flow-gov.yaml'), 'utf8');
/** Version 2 of flow-gov: q_host removed, q_budget added. */
const V2 = V1.replace('version: "1"', 'version: "2"')
  .replace(/ {6}- id: q_host\n( {8}.*\n)+?(?= {6}- id: q_meeting_lesson)/, '')
  .replace(
    '      - id: q_comment\n',
    '      - id: q_budget\n        type: yes_no\n        text: { en: "Is there a budget?", fr: "Y a-t-il un budget ?", es: "¿Hay un presupuesto?" }\n      - id: q_comment\n',
  );

function yamlUpload(text: string, name = 'flow-gov.yaml'): FormData {
  const form = new FormData();
  form.set('file', new File([text], name, { type: 'application/yaml' }));
  return form;
}

/** The fields of the publish form on a preview page. */
function publishForm(html: string): FormData {
  const form = new FormData();
  for (const name of ['file_name', 'content_hash', 'based_on', 'text']) {
    const value = inputValue(html, name);
    if (value === undefined) throw new Error(`the preview has no ${name} field:\n${visibleText(html).slice(0, 400)}`);
    form.set(name, value);
  }
  return form;
}

describe(`questionnaire admin routes (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let admin: TeamMember;
  beforeEach(async () => {
    fixture = await createAppFixture();
    admin = await TeamMember.signIn(fixture, 'admin', { now: new Date(WHILE_OPEN) });
  });
  afterEach(() => fixture.close());

  const versions = () =>
    fixture.db.selectFrom('survey_version').select(['id', 'version', 'content_hash']).where('survey_id', '=', 'flow-gov').orderBy('id').execute();
  const currentVersionId = async () =>
    (await fixture.db.selectFrom('survey').select('current_version_id').where('id', '=', 'flow-gov').executeTakeFirstOrThrow()).current_version_id;

  it('is for admins only', async () => {
    const analyst = await TeamMember.signIn(fixture, 'analyst', { now: new Date(WHILE_OPEN) });
    expect((await analyst.get('/admin/questionnaires')).status).toBe(403);
    expect((await analyst.post('/admin/questionnaires/check', yamlUpload(V2))).status).toBe(403);
    expect((await analyst.post('/admin/questionnaires/publish', new FormData())).status).toBe(403);
    expect((await admin.get('/admin/questionnaires')).status).toBe(200);
  });

  it('lists each survey’s versions with the responses pinned to them', async () => {
    const { token } = await fixture.invite({ name: 'Kenya' });
    await new Browser(fixture.app).openLink(token);
    const html = await (await admin.get('/admin/questionnaires')).text();
    const table = elementById(html, 'versions-flow-gov');
    const content_hash = (await versions())[0]!.content_hash;
    expect(table).toContain(`<code title="${content_hash}">${content_hash.slice(0, 12)}</code>`);
    // version, hash, stored, pinned, submitted, current
    expect(visibleText(table)).toMatch(
      new RegExp(
        `^Versions of flow-gov, newest first \\(n = 1 response over all versions\\) .* 1 ${content_hash.slice(0, 12)} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d 1 0 current \\(preview\\)$`,
      ),
    );
  });

  it('shows every problem of a broken file as file: path: message, and publishes nothing', async () => {
    const broken = V2.replace('fr: "Quel service répond ?", ', '').replace('type: yes_no\n        required: true', 'type: yes_or_no\n        required: true');
    const res = await admin.post('/admin/questionnaires/check', yamlUpload(broken, 'flow-gov-v2.yaml'));
    expect(res.status).toBe(422);
    const problems = [...elementById(await res.text(), 'problems').matchAll(/<code>([^<]*)<\/code>/g)].map((m) => visibleText(m[1]!));
    expect(problems).toEqual([
      'flow-gov-v2.yaml: sections.basics.questions.q_role.text.fr: missing French translation',
      'flow-gov-v2.yaml: sections.basics.questions.q_attended.type: type must be one of: single_choice, multi_choice, scale, matrix, numeric, short_text, long_text, ranking, country, yes_no',
    ]);

    const syntax = await admin.post('/admin/questionnaires/check', yamlUpload('id: x\nsections: [\n  - a: 1\n', 'bad.yaml'));
    expect(syntax.status).toBe(422);
    expect(visibleText(elementById(await syntax.text(), 'problems'))).toContain(
      'bad.yaml: line 3, column 3: Block collections are not allowed within flow collections',
    );

    const unknownScale = await admin.post('/admin/questionnaires/check', yamlUpload(V2.replace('scale: agree3', 'scale: agree9')));
    expect(unknownScale.status).toBe(422);
    expect(visibleText(elementById(await unknownScale.text(), 'problems'))).toMatch(/^flow-gov\.yaml: sections\.views\.questions\.q_ratings\.scale: .*agree9/);
    expect(await versions()).toHaveLength(1);
  });

  it('answers an alias bomb, lists nested 40 deep and a show_if 4,000 parentheses deep with 422 naming the problem', async () => {
    const problemsOf = async (text: string, name: string) => {
      const res = await admin.post('/admin/questionnaires/check', yamlUpload(text, name));
      expect(res.status).toBe(422);
      return visibleText(elementById(await res.text(), 'problems'));
    };
    expect(await problemsOf(aliasBomb(), 'bomb.yaml')).toContain('bomb.yaml: (file): the aliases (*name) of this file would expand it beyond 100 copies');
    expect(await problemsOf(`id: deep\nsections: ${'['.repeat(40)}x${']'.repeat(40)}\n`, 'deep.yaml')).toContain(
      'nests lists and maps more than 32 levels deep',
    );
    const parens = V2.replace('version: "2"', 'version: "3"').replace(/show_if: .*/, `show_if: "${'('.repeat(4000)}q_attended == yes${')'.repeat(4000)}"`);
    expect(parens).not.toBe(V2);
    expect(await problemsOf(parens, 'parens.yaml')).toMatch(
      /parens\.yaml: sections\.[a-z_]+\.questions\.[a-z_]+\.show_if: cannot read '\(+…': the expression is \d+ characters long; at most 2000 are allowed/,
    );
    expect(await versions()).toHaveLength(1);
  });

  it('previews a valid file, then publishes it as the current version; a started response stays pinned to the old one', async () => {
    const [v1] = await versions();
    const before = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    const kenya = new Browser(fixture.app);
    await kenya.openLink(before.token);
    expect((await fixture.response(before.respondentId))?.survey_version_id).toBe(v1!.id);

    const preview = await admin.post('/admin/questionnaires/check', yamlUpload(V2));
    expect(preview.status).toBe(200);
    const html = await preview.text();
    const text = visibleText(html);
    expect(text).toContain('flow-gov.yaml is valid.');
    expect(text).toContain('Version 2 (current: 1)');
    expect(visibleText(elementById(html, 'question-changes'))).toBe(
      'Questions added, removed or changed in type Question id Change q_budget added (yes no) q_host removed (country); answers already given stay stored with their version',
    );
    expect(text).toContain('q_budget yes no no Is there a budget?');
    expect(inputValue(html, 'based_on')).toBe(String(v1!.id));
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(await versions()).toHaveLength(1);

    const published = await admin.post('/admin/questionnaires/publish', publishForm(html));
    expect(published.status).toBe(200);
    const page = await published.text();
    expect(visibleText(page)).toContain('flow-gov version 2 is published');
    // The fixture folder still holds version 1, which a restart would publish again.
    expect(visibleText(elementById(page, 'folder-warning'))).toContain('flow-gov.yaml in the questionnaire folder holds another version of flow-gov.');

    const [, v2] = await versions();
    expect(v2).toMatchObject({ version: '2' });
    expect(await currentVersionId()).toBe(v2!.id);
    const audit = await fixture.db.selectFrom('audit_log').select(['actor', 'subject', 'details']).where('action', '=', 'questionnaire.publish').execute();
    expect(audit).toEqual([
      {
        actor: admin.email,
        subject: 'survey:flow-gov',
        details: {
          surveyId: 'flow-gov',
          version: '2',
          contentHash: v2!.content_hash,
          versionId: v2!.id,
          previousVersionId: v1!.id,
          created: true,
          file: 'flow-gov.yaml',
        },
      },
    ]);

    // The started response keeps version 1; a new respondent gets version 2.
    expect((await fixture.response(before.respondentId))?.survey_version_id).toBe(v1!.id);
    expect((await kenya.page('/form')).status).toBe(200);
    const after = await fixture.invite({ name: 'Ghana', country: 'GHA' });
    await new Browser(fixture.app).openLink(after.token);
    expect((await fixture.response(after.respondentId))?.survey_version_id).toBe(v2!.id);

    const list = visibleText(elementById(await (await admin.get('/admin/questionnaires')).text(), 'versions-flow-gov'));
    expect(list).toMatch(/ 2 [0-9a-f]{12} \S+ \S+ 1 0 current \(preview\) 1 [0-9a-f]{12} \S+ \S+ 1 0 —$/);
  });

  it('publishes nothing when the carried text was changed, the preview is stale, or the content is already current', async () => {
    const preview = await (await admin.post('/admin/questionnaires/check', yamlUpload(V2))).text();

    const tampered = publishForm(preview);
    tampered.set('text', V2.replace('Is there a budget?', 'Is there money?'));
    const refused = await admin.post('/admin/questionnaires/publish', tampered);
    expect(refused.status).toBe(409);
    expect(visibleText(await refused.text())).toContain('checks differently from your preview');
    expect(await versions()).toHaveLength(1);

    // Someone else publishes another version after this preview was made.
    const other = await (await admin.post('/admin/questionnaires/check', yamlUpload(V2.replace('version: "2"', 'version: "2b"')))).text();
    expect((await admin.post('/admin/questionnaires/publish', publishForm(other))).status).toBe(200);
    const stale = await admin.post('/admin/questionnaires/publish', publishForm(preview));
    expect(stale.status).toBe(409);
    expect(visibleText(await stale.text())).toContain('Another version of this questionnaire was published after your preview');
    expect((await versions()).map((v) => v.version)).toEqual(['1', '2b']);

    const same = await (await admin.post('/admin/questionnaires/check', yamlUpload(V2.replace('version: "2"', 'version: "2b"')))).text();
    expect(visibleText(same)).toContain('This is the current version already: there is nothing to publish.');
    expect(inputValue(same, 'text')).toBeUndefined();
  });

  it('accepts files up to 1 MB, above the general request limit, and refuses larger ones', async () => {
    const padded = (bytes: number) => `${V2}${`# ${'x'.repeat(98)}\n`.repeat(Math.ceil(bytes / 101))}`;
    const large = await admin.post('/admin/questionnaires/check', yamlUpload(padded(600 * 1024)));
    expect(large.status).toBe(200);
    expect(visibleText(await large.text())).toContain('flow-gov.yaml is valid.');
    expect((await admin.post('/admin/questionnaires/check', yamlUpload(padded(1100 * 1024)))).status).toBe(413);
  });

  it('publishes a new questionnaire, and checks shared questions against the published ones', async () => {
    const newSurvey = (id: string, question: string) =>
      `id: ${id}\nversion: "1"\ntitle: { en: "New", fr: "Nouveau", es: "Nuevo" }\naudience: [government]\nopens: "2026-01-01"\ncloses: "2026-12-31"\n` +
      `privacy_notice: { en: "Test.", fr: "Test.", es: "Prueba." }\nsections:\n  - id: main\n    title: { en: "Main", fr: "Principal", es: "Principal" }\n    questions:\n${question}`;
    const yesNo =
      '      - id: q_shared\n        type: yes_no\n        shared_key: forum_useful\n        text: { en: "Useful?", fr: "Utile ?", es: "¿Útil?" }\n';
    const preview = await (await admin.post('/admin/questionnaires/check', yamlUpload(newSurvey('flow-new', yesNo), 'flow-new.yaml'))).text();
    expect(visibleText(preview)).toContain('Version 1 (a new questionnaire)');
    expect(inputValue(preview, 'based_on')).toBe('none');
    expect((await admin.post('/admin/questionnaires/publish', publishForm(preview))).status).toBe(200);
    expect(await fixture.db.selectFrom('survey').select('id').where('id', '=', 'flow-new').executeTakeFirst()).toEqual({ id: 'flow-new' });

    const numeric =
      '      - id: q_shared\n        type: numeric\n        max: 10\n        shared_key: forum_useful\n        text: { en: "How useful?", fr: "Utile ?", es: "¿Útil?" }\n';
    const clash = await admin.post('/admin/questionnaires/check', yamlUpload(newSurvey('flow-other', numeric), 'flow-other.yaml'));
    expect(clash.status).toBe(422);
    expect(visibleText(elementById(await clash.text(), 'problems'))).toBe(
      "flow-other.yaml: sections.main.questions.q_shared.shared_key: 'forum_useful' is shared with flow-new (published) (q_shared) but the types differ (yes_no and numeric)",
    );
  });

  it('refuses a form without its CSRF token', async () => {
    expect((await admin.post('/admin/questionnaires/check', yamlUpload(V2), { csrf: false })).status).toBe(403);
    const preview = await (await admin.post('/admin/questionnaires/check', yamlUpload(V2))).text();
    expect((await admin.post('/admin/questionnaires/publish', publishForm(preview), { csrf: 'forged' })).status).toBe(403);
    expect(await versions()).toHaveLength(1);
  });

  it('carries the text back unchanged in meaning: the published hash is the hash of the uploaded definition', async () => {
    const preview = await (await admin.post('/admin/questionnaires/check', yamlUpload(V2.replace(/\n/g, '\r\n')))).text();
    const hash = inputValue(preview, 'content_hash');
    expect((await admin.post('/admin/questionnaires/publish', publishForm(preview))).status).toBe(200);
    const current = await fixture.db
      .selectFrom('survey_version')
      .select(['content_hash', 'definition'])
      .where('id', '=', await currentVersionId())
      .executeTakeFirstOrThrow();
    expect(current.content_hash).toBe(hash);
    expect(definitionHash(current.definition)).toBe(hash);
  });
});

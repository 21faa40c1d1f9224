/**
 * One record per organisation registering itself: a second open registration of the same
 * organisation (same name once case, accents, spacing and punctuation are folded, same country,
 * same questionnaire) is refused by a unique index, so two registrations sent at once cannot both
 * pass a check made beforehand.
 *
 * `name_key` is the folded name, a stored generated column computed by PostgreSQL itself, so no
 * code path can store a row with a stale key. The folding does not depend on the database's locale:
 * upper-case letters are lowered by `lower` and, for accented ones that a C locale leaves alone, by
 * the `translate` table, which maps Latin letters with diacritics to their base letter; ß, æ and
 * œ become ss, ae and oe; white space and punctuation (ASCII and the usual typographic marks) are
 * removed. Letters of other scripts are kept as they are.
 *
 * Rows stored before this migration that would break the index are kept, with their answers and
 * links: each is marked `duplicate_of` the oldest registration with its key, and the index leaves
 * marked rows out. Nothing is deleted; the Assessment Team can review them.
 */
import { sql, type Kysely } from 'kysely';

const FOLD_FROM =
  'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳØøĐđŁłıĦħ';
const FOLD_TO =
  'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyooddllihh';

export async function up(db: Kysely<any>): Promise<void> {
  const folded = sql`translate(replace(replace(replace(replace(replace(lower(name), 'ß', 'ss'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), ${sql.lit(FOLD_FROM)}, ${sql.lit(FOLD_TO)})`;
  const nameKey = sql`regexp_replace(${folded}, '[[:space:][:punct:]’‘“”«»‹›„–—‐·•¿¡]+', '', 'g')`;
  await db.schema
    .alterTable('respondent')
    .addColumn('name_key', 'text', (c) => c.notNull().generatedAlwaysAs(nameKey).stored())
    .addColumn('duplicate_of', 'integer', (c) => c.references('respondent.id'))
    .execute();
  await sql`
    update respondent r set duplicate_of = first.id
    from (
      select distinct on (survey_id, country, name_key) id, survey_id, country, name_key
      from respondent
      where source = 'open_registration'
      order by survey_id, country, name_key, id
    ) first
    where r.source = 'open_registration' and r.id <> first.id
      and r.survey_id = first.survey_id and r.country is not distinct from first.country and r.name_key = first.name_key`.execute(db);
  await db.schema
    .createIndex('respondent_one_registration_per_organisation')
    .on('respondent')
    .columns(['survey_id', 'country', 'name_key'])
    .unique()
    .where(sql<boolean>`source = 'open_registration' and duplicate_of is null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('respondent_one_registration_per_organisation').execute();
  await db.schema.alterTable('respondent').dropColumn('duplicate_of').dropColumn('name_key').execute();
}

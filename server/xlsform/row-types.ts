/**
 * How the import reads the cells of a survey row: its type written one way, yes/no flags, the
 * columns it reads, and the toolkit's own columns (`toolkit_*`, written by the export).
 */
import { cellText, type SheetRow } from './workbook.ts';

/** Metadata the phone records by itself; nothing to ask, nothing to convert. */
export const METADATA_TYPES = new Set([
  'start',
  'end',
  'today',
  'deviceid',
  'subscriberid',
  'simserial',
  'phonenumber',
  'username',
  'email',
  'audit',
  'start-geopoint',
  'background-audio',
  'imei',
  'uri:deviceid',
  'uri:email',
  'uri:username',
  'uri:phonenumber',
  'uri:subscriberid',
  'uri:simserial',
]);
/** Columns we read; any other column with a value is reported once as left out. */
export const READ_COLUMNS = /^(type|name|label(::.*)?|hint(::.*)?|required|relevant|constraint|appearance|choice_filter|calculation|toolkit_.*)$/i;

/** XLSForm's spellings of a type, as one: `select one x` → `select_one x`, `begin group` → `begin_group`. */
export function normaliseType(type: string): string {
  return type
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(begin|end) (group|repeat)\b/i, '$1_$2')
    .replace(/^select (one|multiple)\b/i, 'select_$1')
    .replace(/^select all that apply\b/i, 'select_multiple')
    .replace(/^(\S+)/, (word) => word.toLowerCase());
}

/** yes/true/1 → true, no/false/0/'' → false; anything else (an expression) → undefined. */
export function readRequired(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['yes', 'true', 'true()', '1'].includes(v)) return true;
  if (['', 'no', 'false', 'false()', '0'].includes(v)) return false;
  return undefined;
}

/** The fields of the toolkit columns: shared key, disclosure flags, registration, trend key and codes. */
export function toolkitFields(row: SheetRow): Record<string, unknown> {
  const toolkit = (column: string) => cellText(row, column).trim();
  const flag = (column: string) => readRequired(toolkit(column)) === true;
  const trendCodes = toolkit('toolkit_trend_codes');
  return {
    ...(toolkit('toolkit_shared_key') ? { shared_key: toolkit('toolkit_shared_key') } : {}),
    ...(flag('toolkit_identifying') ? { identifying: true } : {}),
    ...(flag('toolkit_quasi_identifier') ? { quasi_identifier: true } : {}),
    ...(toolkit('toolkit_registration') ? { registration: toolkit('toolkit_registration') } : {}),
    ...(toolkit('toolkit_trend_key') ? { trend_key: toolkit('toolkit_trend_key') } : {}),
    ...(trendCodes ? { trend_codes: Object.fromEntries(trendCodes.split(/\s+/).map((pair) => pair.split('='))) } : {}),
  };
}

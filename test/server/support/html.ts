/**
 * Reading the server-rendered pages in tests, with a few regular expressions over the markup that
 * `hono/jsx` emits (attributes in double quotes, in the order the components write them).
 */

/** Undoes the escaping of `hono/jsx`. */
export function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The page as a reader sees it: tags removed, entities decoded, white space collapsed. */
export function visibleText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      // Inline elements run on with their neighbours ("<a>Question</a>: message"); others break.
      .replace(/<\/?(a|span|strong|em|code|label|abbr)\b[^>]*>/gi, '')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** The value of a hidden or text input, by name (undefined when the page has none). */
export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input\\b[^>]*\\bname="${escapeRegExp(name)}"[^>]*>`).exec(html)?.[0];
  const value = tag && /\bvalue="([^"]*)"/.exec(tag)?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

/** The hidden fields every form page carries. */
export function formState(html: string): { csrf: string; revision: string } {
  const csrf = inputValue(html, '_csrf');
  const revision = inputValue(html, '_revision');
  if (csrf === undefined || revision === undefined) throw new Error(`the page has no form with _csrf and _revision:\n${visibleText(html).slice(0, 500)}`);
  return { csrf, revision };
}

/** The opening tag of the element with this id. */
export function tagById(html: string, id: string): string {
  const tag = new RegExp(`<[a-z]+\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no element with id="${id}"`);
  return tag;
}

/** The inner HTML of the element with this id (up to its first closing tag of the same name). */
export function elementById(html: string, id: string): string {
  const match = new RegExp(`<([a-z]+)\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  if (!match) throw new Error(`no element with id="${id}"`);
  return match[2]!;
}

export function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\s${escapeRegExp(name)}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

export function hasAttribute(tag: string, name: string): boolean {
  return new RegExp(`\\s${escapeRegExp(name)}(="[^"]*")?(?=[\\s/>])`).test(tag);
}

/** Whether the radio button or checkbox with this id is ticked. */
export function isChecked(html: string, id: string): boolean {
  return hasAttribute(tagById(html, id), 'checked');
}

/** Every `<input>`, `<select>` and `<textarea>` of the questionnaire form (hidden fields left out). */
export function questionControls(html: string): string[] {
  const form = /<form\b[^>]*class="questionnaire"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  return [...form.matchAll(/<(input|select|textarea)\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/type="hidden"/.test(tag));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The answers a review page or receipt shows, by question id, as text (`''` = no answer line). */
export function shownAnswers(html: string): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const match of html.matchAll(/<dt id="review-([a-z0-9_]+)">[\s\S]*?<\/dt><dd\b[^>]*>([\s\S]*?)<\/dd>/g)) {
    answers[match[1]!] = visibleText(match[2]!.replace(/<\/li>/g, ' | </li>')).replace(/\s*\|\s*$/, '');
  }
  return answers;
}

/**
 * A converted questionnaire written as YAML text, in the order authors write the files (id and type
 * first), with a comment on every text whose translations were filled from another language.
 */
import YAML, { isMap, isScalar, type Node } from 'yaml';

const QUESTION_KEYS = ['id', 'type', 'scale', 'countries'];

/** The same question with `id` and `type` first, so that a file reads like the hand-written ones. */
function ordered(question: Record<string, unknown>): Record<string, unknown> {
  const first = Object.fromEntries(QUESTION_KEYS.filter((k) => k in question).map((k) => [k, question[k]]));
  return { ...first, ...question };
}

/**
 * The YAML text of a questionnaire file. `filled` maps text objects of `source` to the languages
 * filled in from another one; each such language gets a `# to translate` comment.
 *
 * @example
 *   questionnaireYaml({ id: 'x', ... }, new Map(), 'Converted from form.xlsx')
 */
export function questionnaireYaml(source: Record<string, unknown>, filled: Map<object, string[]>, header: string): string {
  const sections = (source.sections as { questions: Record<string, unknown>[] }[]).map((s) => ({ ...s, questions: s.questions.map(ordered) }));
  // The reordered questions are new objects, but their texts are the same objects as in `filled`.
  const doc = new YAML.Document({ ...source, sections }, { aliasDuplicateObjects: false });
  doc.commentBefore = ` ${header}`;
  const mark = (value: unknown, node: Node | null | undefined) => {
    if (value === null || typeof value !== 'object' || !node) return;
    const languages = filled.get(value);
    if (languages && isMap(node)) {
      for (const language of languages) {
        const item = node.get(language, true);
        if (isScalar(item)) item.comment = ' to translate (copied from another language)';
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const childNode = isMap(node) || YAML.isSeq(node) ? (node.get(Array.isArray(value) ? Number(key) : key, true) as Node | undefined) : undefined;
      mark(child, childNode);
    }
  };
  mark({ ...source, sections }, doc.contents);
  return doc.toString({ lineWidth: 0 });
}

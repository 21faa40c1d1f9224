import { formatProblem, loadDefinitions } from '../../survey-definitions/load-definitions.ts';

/** `assess surveys check [--dir <folder>]`: validates every questionnaire file; exit 1 on any problem. */
export async function surveysCheck(folder: string, out: { log: (line: string) => void; error: (line: string) => void }): Promise<number> {
  const { definitions, problems } = await loadDefinitions(folder);
  for (const problem of problems) out.error(formatProblem(problem));
  for (const { file, definition, contentHash } of definitions) {
    const count = definition.sections.reduce((n, s) => n + s.questions.length, 0);
    out.log(`${file}: ok (${definition.id} version ${definition.version}, ${count} questions, sha256 ${contentHash.slice(0, 12)})`);
  }
  return problems.length ? 1 : 0;
}

/**
 * Enhancements of the questionnaire form; the form works fully without them.
 * - live skip logic: questions appear and disappear as answers change (same evaluator as the server);
 * - autosave: the page is saved a moment after each change, with a visible status;
 * - exclusive options ("none of these") clear the other boxes;
 * - number fields say how what is typed will be read ("Read as 12,000"), or that it will be asked about;
 * - the receipt's print link opens the print dialog.
 */
import type { Answers } from '../survey-definitions/answers.ts';
import { evaluateExpression, parseExpression, type Expression } from '../survey-definitions/expression.ts';
import { readNumber } from '../survey-definitions/read-number.ts';
import type { Language } from '../survey-definitions/schema.ts';

function readAnswers(form: HTMLFormElement): Answers {
  const answers: Answers = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement)) continue;
    if (!element.name || element.name.startsWith('_') || element.disabled) continue;
    if (element instanceof HTMLInputElement && (element.type === 'radio' || element.type === 'checkbox') && !element.checked) continue;
    if (element.value === '') continue;
    const fieldset = element.closest<HTMLElement>('[data-question]');
    const type = fieldset?.dataset.type;
    const id = fieldset?.dataset.question ?? element.name;
    if (type === 'multi_choice') {
      const list = (answers[id] as string[] | undefined) ?? [];
      list.push(element.value);
      answers[id] = list;
    } else if (type === 'ranking') {
      const list = (answers[id] as string[] | undefined) ?? [];
      list.push(element.name.slice(id.length + 1, -1));
      answers[id] = list;
    } else if (element.name === id) {
      answers[id] = element.value;
    }
  }
  return answers;
}

/** Answers of earlier pages are not in this form; the server gives them as JSON in a data attribute. */
function applySkipLogic(form: HTMLFormElement, conditions: Map<HTMLElement, Expression>, saved: Answers): void {
  const answers = { ...saved, ...readAnswers(form) };
  for (const [element, condition] of conditions) {
    const show = evaluateExpression(condition, answers);
    element.hidden = !show;
    if (!show) delete answers[element.dataset.question ?? ''];
  }
}

function setupAutosave(form: HTMLFormElement): void {
  const url = form.dataset.autosave;
  const status = form.querySelector<HTMLElement>('.autosave-status');
  const revision = form.querySelector<HTMLInputElement>('input[name=_revision]');
  if (!url || !status || !revision) return;
  let timer: number | undefined;
  let inFlight = false;
  let pending = false;
  const save = async () => {
    if (inFlight) {
      pending = true;
      return;
    }
    inFlight = true;
    const body = new FormData(form);
    try {
      const response = await fetch(url, { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
      const result = (await response.json()) as { saved: boolean; revision?: number; savedAt?: string; conflict?: boolean; problems?: { message: string }[] };
      if (result.saved && result.revision !== undefined) {
        revision.value = String(result.revision);
        status.textContent = `${status.dataset.savedLabel ?? 'Saved'} ${new Date(result.savedAt ?? Date.now()).toLocaleTimeString()}`;
      } else if (result.conflict) {
        // Another editor saved: submit normally so the server shows what changed.
        status.textContent = '';
        form.requestSubmit(form.querySelector<HTMLButtonElement>('button[value=next]') ?? undefined);
      } else {
        status.textContent = `${status.dataset.failedLabel ?? 'Not saved yet'}: ${(result.problems ?? []).map((p) => p.message).join(' ')}`;
      }
    } catch {
      status.textContent = status.dataset.failedLabel ?? 'Not saved yet';
    } finally {
      inFlight = false;
      if (pending) {
        pending = false;
        void save();
      }
    }
  };
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', () => window.clearTimeout(timer));
}

function setupExclusiveOptions(form: HTMLFormElement): void {
  form.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'checkbox' || !input.checked) return;
    const boxes = Array.from(form.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${CSS.escape(input.name)}"]`));
    if (input.dataset.exclusive) {
      for (const b of boxes) if (b !== input) b.checked = false;
    } else {
      for (const b of boxes) if (b.dataset.exclusive) b.checked = false;
    }
  });
}

/**
 * A live hint under each number field, read by the same rules as the server: the number as the
 * page's language writes it, or the readings it will be asked about. Text that is no number gets
 * no hint; the server's message says what is wrong when the page is saved.
 */
function setupNumberHints(form: HTMLFormElement): void {
  const lang = document.documentElement.lang;
  // Not LANGUAGES from schema.ts: that would bundle zod into the page's script.
  const language: Language = lang === 'fr' || lang === 'es' ? lang : 'en';
  const format = new Intl.NumberFormat(language, { maximumFractionDigits: 20 });
  for (const hint of Array.from(form.querySelectorAll<HTMLElement>('.number-reading'))) {
    const input = hint.parentElement?.querySelector<HTMLInputElement>('input[inputmode=decimal]');
    if (!input) continue;
    let timer: number | undefined;
    const update = () => {
      const reading = readNumber(input.value, language);
      const text =
        reading.kind === 'number'
          ? `${hint.dataset.readAs ?? ''} ${format.format(reading.value)}`
          : reading.kind === 'confirm'
            ? `${hint.dataset.mayMean ?? ''} ${reading.values.map((v) => format.format(v)).join(' / ')}. ${hint.dataset.willAsk ?? ''}`
            : '';
      hint.textContent = text;
      hint.hidden = text === '';
    };
    // A pause after typing, so that a screen reader hears one hint rather than one per key.
    input.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 500);
    });
  }
}

function main(): void {
  const form = document.querySelector<HTMLFormElement>('form.questionnaire');
  if (form) {
    const saved = JSON.parse(form.dataset.answers ?? '{}') as Answers;
    const conditions = new Map<HTMLElement, Expression>();
    for (const element of Array.from(form.querySelectorAll<HTMLElement>('[data-show-if]'))) {
      try {
        conditions.set(element, parseExpression(element.dataset.showIf ?? ''));
      } catch {
        // The server checked every condition; an unreadable one simply stays as rendered.
      }
    }
    form.addEventListener('change', () => applySkipLogic(form, conditions, saved));
    setupExclusiveOptions(form);
    setupAutosave(form);
    setupNumberHints(form);
  }
  const print = document.querySelector<HTMLAnchorElement>('a[data-print]');
  print?.addEventListener('click', (event) => {
    event.preventDefault();
    window.print();
  });
}

main();

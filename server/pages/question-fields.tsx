/** @jsxImportSource hono/jsx */
/**
 * The form controls of one question: native inputs inside a fieldset with a legend, so that the
 * form works without JavaScript, with a keyboard and with a screen reader.
 */
import { specifyKey, type Answers } from '../../survey-definitions/answers.ts';
import { countriesByName } from '../../survey-definitions/countries.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Option, Question } from '../../survey-definitions/types.ts';
import { scaleOptions, yesNoOptions } from './format-answer.ts';
import { numberReadingField, numberReadingForField } from './form-data.ts';
import { numberChoiceLabel, numberFieldText } from './number-text.ts';
import type { Translate } from './ui-text.ts';

export interface QuestionView {
  question: Question;
  number: number;
  /** Hidden by skip logic given the saved answers (kept in the page for live skip logic). */
  hidden: boolean;
  /** Answered by the organisation's registration: shown, not editable (a "please specify" text still is). */
  fixed?: boolean;
  /** Messages to show next to the field, already in the respondent's language. */
  errors: { key: string; message: string }[];
  /** A number field whose text conventions read differently: the text and the numbers it may mean. */
  numberReadings?: { text: string; values: number[] };
}

interface FieldProps {
  view: QuestionView;
  answers: Answers;
  language: Language;
  tr: Translate;
  readOnly: boolean;
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function ErrorList({ id, errors }: { id: string; errors: { message: string }[] }) {
  if (!errors.length) return null;
  return (
    <ul class="field-errors" id={id}>
      {errors.map((e) => (
        <li>{e.message}</li>
      ))}
    </ul>
  );
}

function SpecifyInput({ q, answers, tr, readOnly }: { q: Question; answers: Answers; tr: Translate; readOnly: boolean }) {
  const name = specifyKey(q.id);
  return (
    <span class="specify">
      <label for={`${q.id}-other-text`}>{tr('pleaseSpecify')}</label>
      <input type="text" id={`${q.id}-other-text`} name={name} value={str(answers[name])} maxlength={200} disabled={readOnly} />
    </span>
  );
}

function ChoiceList({
  q,
  options,
  multiple,
  answers,
  language,
  tr,
  readOnly,
  specifyReadOnly = readOnly,
  describedBy,
}: {
  q: Question;
  options: Option[];
  multiple: boolean;
  answers: Answers;
  language: Language;
  tr: Translate;
  readOnly: boolean;
  specifyReadOnly?: boolean;
  describedBy?: string;
}) {
  const value = answers[q.id];
  const selected = (code: string) => (Array.isArray(value) ? value.includes(code) : value === code);
  return (
    <div class="choices">
      {options.map((o) => (
        <div class="choice">
          <input
            type={multiple ? 'checkbox' : 'radio'}
            id={`${q.id}-${o.code}`}
            name={q.id}
            value={o.code}
            checked={selected(o.code)}
            disabled={readOnly}
            aria-describedby={describedBy}
            data-exclusive={o.exclusive ? 'true' : undefined}
          />
          <label for={`${q.id}-${o.code}`}>{o.label[language]}</label>
          {o.specify ? <SpecifyInput q={q} answers={answers} tr={tr} readOnly={specifyReadOnly} /> : null}
        </div>
      ))}
    </div>
  );
}

function MatrixTable({
  q,
  answers,
  language,
  readOnly,
}: {
  q: Extract<Question, { type: 'matrix' }>;
  answers: Answers;
  language: Language;
  readOnly: boolean;
}) {
  const options = scaleOptions(q);
  const apart = new Set(q.scale.non_substantive.map((o) => o.code));
  const cells = (answers[q.id] ?? {}) as Record<string, string>;
  return (
    <div class="matrix-wrap">
      <table class="matrix">
        <thead>
          <tr>
            <td></td>
            {options.map((o) => (
              <th scope="col" class={apart.has(o.code) ? 'non-substantive' : undefined}>
                {o.label[language]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {q.rows.map((row) => (
            <tr>
              <th scope="row" id={`${q.id}-${row.code}-label`}>
                {row.label[language]}
              </th>
              {options.map((o) => (
                <td class={apart.has(o.code) ? 'non-substantive' : undefined}>
                  {/* On a narrow screen the rows stack and each choice shows its words (styles.css). */}
                  <label class="matrix-choice">
                    <input
                      type="radio"
                      name={`${q.id}[${row.code}]`}
                      value={o.code}
                      checked={cells[row.code] === o.code}
                      disabled={readOnly}
                      aria-label={`${row.label[language]}: ${o.label[language]}`}
                    />
                    <span class="matrix-option">{o.label[language]}</span>
                  </label>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RankingList({
  q,
  answers,
  language,
  tr,
  readOnly,
}: {
  q: Extract<Question, { type: 'ranking' }>;
  answers: Answers;
  language: Language;
  tr: Translate;
  readOnly: boolean;
}) {
  const value = answers[q.id];
  // A saved ranking is a list (best first); a refused one (a rank given twice) is `{ option: rank }`.
  const rankOf = (code: string) => (Array.isArray(value) ? value.indexOf(code) + 1 : value && typeof value === 'object' ? Number(value[code] ?? 0) : 0);
  const max = q.max_ranked ?? q.options.length;
  return (
    <div class="ranking">
      <p class="hint">{tr('rankHelp')}</p>
      {q.options.map((o) => (
        <div class="rank-row">
          <select id={`${q.id}-${o.code}`} name={`${q.id}[${o.code}]`} disabled={readOnly}>
            <option value="">— {tr('notRanked')}</option>
            {Array.from({ length: max }, (_, i) => (
              <option value={String(i + 1)} selected={rankOf(o.code) === i + 1}>
                {i + 1}
              </option>
            ))}
          </select>
          <label for={`${q.id}-${o.code}`}>{o.label[language]}</label>
        </div>
      ))}
    </div>
  );
}

/**
 * The confirmation of an ambiguous number: one radio per reading, written in the language. Works
 * without JavaScript: the next save reads the chosen number if the text is still the same.
 */
function NumberConfirmation({
  q,
  readings,
  language,
  tr,
  readOnly,
}: {
  q: Extract<Question, { type: 'numeric' }>;
  readings: NonNullable<QuestionView['numberReadings']>;
  language: Language;
  tr: Translate;
  readOnly: boolean;
}) {
  const unit = q.unit ? ` ${q.unit[language]}` : '';
  return (
    <fieldset class="number-confirm" id={`${q.id}-confirm`}>
      <legend>{tr('numberWhich', { text: readings.text })}</legend>
      <input type="hidden" name={numberReadingForField(q.id)} value={readings.text} />
      {readings.values.map((value, i) => (
        <div class="choice">
          <input type="radio" id={`${q.id}-reading-${i}`} name={numberReadingField(q.id)} value={String(value)} disabled={readOnly} />
          <label for={`${q.id}-reading-${i}`}>
            {numberChoiceLabel(value, language)}
            {unit}
          </label>
        </div>
      ))}
      <p class="hint">{tr('numberConfirmHint')}</p>
    </fieldset>
  );
}

function NumberInput({
  q,
  answers,
  language,
  tr,
  readOnly,
  describedBy,
  ariaInvalid,
  readings,
}: {
  q: Extract<Question, { type: 'numeric' }>;
  answers: Answers;
  language: Language;
  tr: Translate;
  readOnly: boolean;
  describedBy?: string;
  ariaInvalid?: string;
  readings?: QuestionView['numberReadings'];
}) {
  const saved = answers[q.id];
  // A saved number with the language's decimal mark; text (refused or awaiting confirmation) as typed.
  const shown = typeof saved === 'number' ? numberFieldText(saved, language) : { text: str(saved), carriesValue: false };
  return (
    <>
      <span class="numeric">
        <input
          type="text"
          inputmode="decimal"
          id={q.id}
          name={q.id}
          value={shown.text}
          disabled={readOnly}
          aria-describedby={describedBy}
          aria-invalid={ariaInvalid}
          size={12}
        />
        {q.unit ? <span class="unit">{q.unit[language]}</span> : null}
        {/* Filled by the form's script as the respondent types (how the number will be read). */}
        <span
          class="hint number-reading"
          hidden
          aria-live="polite"
          data-read-as={tr('numberReadAs')}
          data-may-mean={tr('numberMayMean')}
          data-will-ask={tr('numberWillAsk')}
        ></span>
        {shown.carriesValue ? (
          <>
            <input type="hidden" name={numberReadingField(q.id)} value={String(saved)} />
            <input type="hidden" name={numberReadingForField(q.id)} value={shown.text} />
          </>
        ) : null}
      </span>
      {readings ? <NumberConfirmation q={q} readings={readings} language={language} tr={tr} readOnly={readOnly} /> : null}
    </>
  );
}

function SingleInput({
  q,
  answers,
  language,
  tr,
  readOnly,
  describedBy,
  invalid,
  readings,
}: {
  q: Question;
  answers: Answers;
  language: Language;
  tr: Translate;
  readOnly: boolean;
  describedBy?: string;
  invalid: boolean;
  readings?: QuestionView['numberReadings'];
}) {
  const value = str(answers[q.id]);
  // A field with an error says so itself (its fieldset-less wrapper cannot).
  const ariaInvalid = invalid ? 'true' : undefined;
  switch (q.type) {
    case 'numeric':
      return (
        <NumberInput
          q={q}
          answers={answers}
          language={language}
          tr={tr}
          readOnly={readOnly}
          describedBy={describedBy}
          ariaInvalid={ariaInvalid}
          readings={readings}
        />
      );
    case 'short_text':
      return (
        <input
          type="text"
          id={q.id}
          name={q.id}
          value={value}
          maxlength={q.max_length}
          disabled={readOnly}
          aria-describedby={describedBy}
          aria-invalid={ariaInvalid}
          class="wide"
        />
      );
    case 'long_text':
      return (
        <textarea
          id={q.id}
          name={q.id}
          rows={5}
          maxlength={q.max_length}
          disabled={readOnly}
          aria-describedby={describedBy}
          aria-invalid={ariaInvalid}
          data-counter="true"
        >
          {value}
        </textarea>
      );
    case 'country':
      return (
        <select id={q.id} name={q.id} disabled={readOnly} aria-describedby={describedBy} aria-invalid={ariaInvalid}>
          <option value="">{tr('chooseCountry')}</option>
          {countriesByName(q.countries, language).map((c) => (
            <option value={c.code} selected={value === c.code}>
              {c.names[language]}
            </option>
          ))}
        </select>
      );
    default:
      return null;
  }
}

/** Questions answered with one control get a label; the others a fieldset and legend. */
function usesFieldset(q: Question): boolean {
  return !['numeric', 'short_text', 'long_text', 'country'].includes(q.type);
}

export function QuestionField({ view, answers, language, tr, readOnly: pageReadOnly }: FieldProps) {
  const { question: q, number, hidden, errors } = view;
  const readOnly = pageReadOnly || view.fixed === true;
  const hintId = `${q.id}-hint`;
  const errorId = `${q.id}-errors`;
  const describedBy =
    [q.help ? hintId : '', errors.length ? errorId : '', q.type === 'long_text' || q.type === 'short_text' ? `${q.id}-limit` : ''].filter(Boolean).join(' ') ||
    undefined;
  const heading = (
    <>
      <span class="qnum">{number}.</span> {q.text[language]} <span class="req">({q.required ? tr('required') : tr('optional')})</span>
    </>
  );
  const help = (
    <>
      {q.help ? (
        <p class="hint" id={hintId}>
          {q.help[language]}
        </p>
      ) : null}
      {view.fixed ? (
        <p class="hint" id={`${q.id}-registration`}>
          {tr('fromRegistration')}
        </p>
      ) : null}
    </>
  );
  const limit =
    q.type === 'long_text' || q.type === 'short_text' ? (
      <p class="hint" id={`${q.id}-limit`}>
        {tr('charactersMax', { max: q.max_length })}
      </p>
    ) : null;
  const body = (() => {
    switch (q.type) {
      case 'single_choice':
      case 'multi_choice':
        return (
          <ChoiceList
            q={q}
            options={q.options}
            multiple={q.type === 'multi_choice'}
            answers={answers}
            language={language}
            tr={tr}
            readOnly={readOnly}
            specifyReadOnly={pageReadOnly}
            describedBy={describedBy}
          />
        );
      case 'scale':
        return (
          <ChoiceList
            q={q}
            options={scaleOptions(q)}
            multiple={false}
            answers={answers}
            language={language}
            tr={tr}
            readOnly={readOnly}
            describedBy={describedBy}
          />
        );
      case 'yes_no':
        return (
          <ChoiceList
            q={q}
            options={yesNoOptions(q)}
            multiple={false}
            answers={answers}
            language={language}
            tr={tr}
            readOnly={readOnly}
            describedBy={describedBy}
          />
        );
      case 'matrix':
        return <MatrixTable q={q} answers={answers} language={language} readOnly={readOnly} />;
      case 'ranking':
        return <RankingList q={q} answers={answers} language={language} tr={tr} readOnly={readOnly} />;
      default:
        return (
          <SingleInput
            q={q}
            answers={answers}
            language={language}
            tr={tr}
            readOnly={readOnly}
            describedBy={describedBy}
            invalid={errors.length > 0}
            readings={view.numberReadings}
          />
        );
    }
  })();
  const classes = `question${errors.length ? ' has-error' : ''}`;
  const data = { id: `q-${q.id}`, class: classes, hidden, 'data-question': q.id, 'data-type': q.type, 'data-show-if': q.show_if };
  const errorList = <ErrorList id={errorId} errors={errors} />;
  if (usesFieldset(q)) {
    return (
      <fieldset {...data} aria-describedby={describedBy} aria-invalid={errors.length ? 'true' : undefined}>
        <legend>{heading}</legend>
        {help}
        {errorList}
        {body}
      </fieldset>
    );
  }
  return (
    <div {...data}>
      <label for={q.id} class="qlabel">
        {heading}
      </label>
      {help}
      {limit}
      {errorList}
      {body}
    </div>
  );
}

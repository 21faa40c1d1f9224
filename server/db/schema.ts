/**
 * The database's tables as Kysely sees them.
 */
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from 'kysely';
import type { Answers } from '../../survey-definitions/answers.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface SurveyVersionTable {
  id: Generated<number>;
  survey_id: string;
  version: string;
  /** SHA-256 of the canonical JSON of `definition`. */
  content_hash: string;
  definition: Json<SurveyDefinition>;
  created_at: Timestamp;
}

export interface SurveyTable {
  id: string;
  /** The version new respondents get; earlier responses keep theirs. */
  current_version_id: number;
  updated_at: Timestamp;
}

export type RespondentSource = 'invitation' | 'open_registration';

export interface RespondentTable {
  id: Generated<number>;
  survey_id: string;
  kind: 'government' | 'civil_society' | 'international_org';
  name: string;
  /** ISO 3166-1 alpha-3. */
  country: string | null;
  /** UN M49 region and sub-region, derived from the country when it is stored. */
  region: string | null;
  subregion: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  org_type: string | null;
  email: string | null;
  source: RespondentSource;
  created_at: Timestamp;
  /** The name folded (case, accents, spacing, punctuation), computed by the database. */
  name_key: GeneratedAlways<string>;
  /** An open registration stored twice before duplicates were refused: the one it repeats. */
  duplicate_of: number | null;
  /**
   * The same respondent in the earlier phase it was carried over from (`phase open`): a government
   * or an organisation keeps its identity across phases, and this link is what pairs its answers.
   */
  previous_respondent_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The language of the messages it is sent: `en`, `fr` or `es`. */
  language: ColumnType<MailLanguage, MailLanguage | undefined, MailLanguage>;
}

export interface InvitationTable {
  id: Generated<number>;
  respondent_id: number;
  /** SHA-256 of the token; the token itself is never stored. */
  token_hash: string;
  /** The token encrypted with the mail token key (AES-256-GCM), for links in e-mail; null without a key. */
  token_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  first_opened_at: Timestamp | null;
  last_opened_at: Timestamp | null;
}

export type ResponseStatus = 'in_progress' | 'submitted';

export interface ResponseTable {
  id: Generated<number>;
  respondent_id: number;
  /** The definition snapshot the answers were given under. */
  survey_version_id: number;
  language: string;
  /** Increases with every save; a save must name the revision it was based on. */
  revision: Generated<number>;
  status: Generated<ResponseStatus>;
  /** Revision of the latest submission, null before the first one. */
  submitted_revision: number | null;
  /** Questions hidden by skip logic in the latest saved answers. */
  hidden_questions: ColumnType<string[], string[] | undefined, string[]>;
  /** Questions hidden by skip logic in the answers of the latest submission. */
  submitted_hidden_questions: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
  first_submitted_at: Timestamp | null;
  submitted_at: Timestamp | null;
  /** Random, never published: orders the rows of an export so that a published seed reveals no id. */
  export_key: Generated<string>;
}

/** One row per answered value: counting per option is a plain GROUP BY. */
export interface AnswerTable {
  response_id: number;
  question_id: string;
  /** Matrix row or ranked option; '' otherwise. */
  item: string;
  /** Option, scale point, yes/no or country code; null for numbers and texts. */
  code: string | null;
  /** Numeric answer, scale point value, or rank (1 = first). */
  number: number | null;
  /** Free text, or the "please specify" text of an `other` option. */
  text: string | null;
}

/**
 * The answer rows of a response's latest submission (same shape as `answer`): what every figure of
 * submitted responses counts. Saving changes to a submitted response leaves them as they are until
 * the changes are submitted.
 */
export type SubmittedAnswerTable = AnswerTable;

/** Every saved state of a response, so a stale save can be shown what changed. */
export interface ResponseRevisionTable {
  response_id: number;
  revision: number;
  answers: Json<Answers>;
  saved_at: Timestamp;
}

export interface SubmissionTable {
  id: Generated<number>;
  response_id: number;
  revision: number;
  survey_version_id: number;
  answers: Json<Answers>;
  submitted_at: Timestamp;
}

export interface SessionTable {
  /** SHA-256 of the session id held in the cookie. */
  id_hash: string;
  respondent_id: number | null;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  subject: string | null;
  details: Json<Record<string, unknown>>;
}

export type UserRole = 'admin' | 'analyst' | 'observer';

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  role: UserRole;
  /** scrypt hash (see accounts/passwords.ts); null until the user sets a password. */
  password_hash: string | null;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
}

export interface UserSessionTable {
  /** SHA-256 of the session id held in the cookie. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface AccountLinkTable {
  token_hash: string;
  purpose: 'first_admin' | 'set_password';
  user_id: number | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A response left out of the analysis (a duplicate, spam), kept in storage and reversible. */
export interface ResponseExclusionTable {
  response_id: number;
  reason: string;
  excluded_by: number | null;
  excluded_at: Timestamp;
}

export interface TextTagTable {
  response_id: number;
  question_id: string;
  tag: string;
  tagged_by: number | null;
  tagged_at: Timestamp;
}

/** A free-text answer approved for publication in the export, as it will be published. */
export interface TextApprovalTable {
  response_id: number;
  question_id: string;
  /** SHA-256 (hex) of the answer text that was approved; an amended answer no longer matches. */
  answer_sha256: string;
  /** The text as published: names of people and organisations removed. */
  published_text: string;
  approved_by: number | null;
  approved_at: Timestamp;
}

/**
 * Running counts of submitted answers per group of respondents (maintained by the writers, see
 * server/db/answer-tally.queries.ts). `n` is a count of responses.
 */
export interface AnswerTallyTable {
  survey_id: string;
  kind: RespondentTable['kind'];
  /** '' when the respondent has no region. */
  region: string;
  roles: ColumnType<string[], string[], string[]>;
  metric: 'responses' | 'excluded' | 'hidden' | 'answered' | 'substantive' | 'code' | 'number';
  question_id: string;
  item: string;
  code: string;
  value: number;
  n: number;
}

/** A publication, frozen (server/db/migrations/2026-12-04-0007-release.ts). */
export interface ReleaseTable {
  id: Generated<number>;
  survey_id: string;
  name: string;
  created_at: Generated<Date>;
  /** Who made it: an account's e-mail, or `cli`. */
  created_by: string;
  final: Generated<boolean>;
  threshold: number;
  responses: number;
  content_hash: string;
  /** The published figures (analysis/disclosure/release-model.ts, without id, name and time). */
  figures: ColumnType<unknown, string, never>;
}

/** The submitted revision of every response a release covers, and its finest group (`kind/region/role group`). */
export interface ReleaseResponseTable {
  release_id: number;
  response_id: number;
  revision: number;
  leaf: string;
}

/** A row file that left the toolkit (server/db/migrations/2026-12-11-0008-row-file-issue.ts), one row per questionnaire version it holds. */
export interface RowFileIssueTable {
  id: Generated<number>;
  kind: 'public' | 'restricted';
  survey_id: string;
  survey_version_id: number;
  /** The release a public file came with; null for a restricted file. */
  release_id: number | null;
  /** Who received a restricted file, and what for (null for a public file). */
  recipient: string | null;
  purpose: string | null;
  /** Rows of this version in the file. */
  rows: number;
  created_by: string;
  created_at: Generated<Date>;
}

export type MailLanguage = 'en' | 'fr' | 'es';
export type MailKind = 'invitation' | 'reminder' | 'reminder_amended' | 'lost_link';
export type MailState = 'queued' | 'sending' | 'sent' | 'retrying' | 'failed';

/** One e-mail message: what to send to whom, and where its delivery stands. */
export interface MailMessageTable {
  id: Generated<number>;
  /** Unique: `invitation:<respondent>:<invitation>`, `reminder:<round>:<respondent>`, `lost_link:<respondent>:<request>`. */
  idempotency_key: string;
  kind: MailKind;
  survey_id: string;
  respondent_id: number;
  invitation_id: number | null;
  /** The reminder round (reminders only). */
  round: string | null;
  recipient: string;
  language: MailLanguage;
  state: Generated<MailState>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  claimed_at: Date | null;
  claimed_by: string | null;
  /** The mail server's reply to the accepted message. */
  reply: string | null;
  /** Why the last attempt failed. */
  error: string | null;
  queued_by: string;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface Database {
  survey_version: SurveyVersionTable;
  survey: SurveyTable;
  respondent: RespondentTable;
  invitation: InvitationTable;
  response: ResponseTable;
  answer: AnswerTable;
  submitted_answer: SubmittedAnswerTable;
  response_revision: ResponseRevisionTable;
  submission: SubmissionTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  account_link: AccountLinkTable;
  response_exclusion: ResponseExclusionTable;
  text_tag: TextTagTable;
  text_approval: TextApprovalTable;
  answer_tally: AnswerTallyTable;
  /** Signed changes to `answer_tally` appended by writers, folded in by the server. */
  answer_tally_delta: AnswerTallyTable;
  release: ReleaseTable;
  release_response: ReleaseResponseTable;
  row_file_issue: RowFileIssueTable;
  mail_message: MailMessageTable;
}

export type RespondentRow = Selectable<RespondentTable>;
export type NewRespondent = Insertable<RespondentTable>;
export type ResponseRow = Selectable<ResponseTable>;

/** The message templates by language. */
import type { Language } from '../../../survey-definitions/schema.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import type { TemplateText } from './template-text.ts';

export type { MessageTexts, TemplateText } from './template-text.ts';

export const TEMPLATES: Readonly<Record<Language, TemplateText>> = { en, fr, es };

/**
 * File uploads on admin pages are larger than any other request, so they get limits of their
 * own: the app's general body limit skips these paths, and each route applies its own.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_QUESTIONNAIRE_BYTES } from '../../survey-definitions/load-definitions.ts';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';

const MB = 1024 * 1024;

/** Largest body per upload path, in bytes. */
export const UPLOAD_BODY_LIMITS: ReadonlyMap<string, number> = new Map([
  // 5,000 invitees of typical length fit well below it; larger lists go through the command line.
  ['/admin/invitations/upload', 2 * MB],
  ['/admin/questionnaires/check', MAX_QUESTIONNAIRE_BYTES],
  // The checked text comes back in a form field, with a little room for the other fields.
  ['/admin/questionnaires/publish', MAX_QUESTIONNAIRE_BYTES + 16 * 1024],
]);

/** Whether a path has its own limit (the general one then stands aside). */
export function hasUploadLimit(path: string): boolean {
  return UPLOAD_BODY_LIMITS.has(path);
}

/** The body limit of one upload path. */
export function uploadBodyLimit(path: string): MiddlewareHandler<AppEnv> {
  const maxSize = UPLOAD_BODY_LIMITS.get(path);
  if (maxSize === undefined) throw new Error(`no upload limit for ${path}`);
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError('payload_too_large', `The file is larger than ${Math.floor(maxSize / MB)} MB.`);
    },
  });
}

/** The text of an uploaded file, or undefined when it is not UTF-8. A byte order mark is kept. */
export async function uploadedText(file: File): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await file.arrayBuffer());
  } catch {
    return undefined;
  }
}

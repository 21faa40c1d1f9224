/**
 * The fingerprint of a free-text answer an approval is tied to. Pure.
 */
import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of an answer's UTF-8 text, as stored in `text_approval.answer_sha256`: an answer
 * amended since its approval no longer matches.
 *
 * @example answerSha256('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function answerSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

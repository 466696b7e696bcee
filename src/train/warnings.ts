/**
 * How training and evaluation tell their caller what it should know without stopping: through the
 * caller's `onWarning` (default `process.emitWarning`), never on stderr of their own. A warning about a
 * file (a data file's content, the word vectors) reads `FILE: text`; `about` holds the two parts, for a
 * caller that prints such warnings beside its reader's (the CLI: `entrel: FILE: warning: text`).
 */
import type { Diagnostics } from '../data/diagnostics.js';

export type OnWarning = (message: string, about?: { file: string; text: string }) => void;

export const emitWarning: OnWarning = (message) => process.emitWarning(message, 'EntrelWarning');

/** A warning about `file`. */
export function warnAbout(onWarning: OnWarning, file: string, text: string): void {
  onWarning(`${file}: ${text}`, { file, text });
}

/** Counted warnings (a reader's, or what encoding for training drops), one a code. */
export function warnCounted(onWarning: OnWarning, file: string, diagnostics: Diagnostics): void {
  for (const line of diagnostics.format()) warnAbout(onWarning, file, line.replace(/^warning: /, ''));
}

/** Shared output helpers so every command prints JSON, tables and warnings the same way. */
import type { Diagnostics } from '../data/diagnostics.js';
import { printable, printableJson } from '../errors.js';

/** `--json`: the value pretty-printed, its strings' terminal controls escaped (printableJson). */
export function printJson(value: unknown): void {
  process.stdout.write(printableJson(JSON.stringify(value, null, 2)) + '\n');
}

/**
 * Warnings go to stderr so that stdout stays machine-readable, each after the file it is about; printable,
 * as their ids and names come from the files.
 */
export function printWarnings(diagnostics: Diagnostics, file: string): void {
  for (const line of diagnostics.format()) process.stderr.write(`${printableLines(`entrel: ${file}: ${line}`)}\n`);
}

/** A warning of the library (an `onWarning` callback) as the CLI prints every warning; one about a file as printWarnings does. */
export function printWarning(message: string, about?: { file: string; text: string }): void {
  process.stderr.write(`${printableLines(about ? `entrel: ${about.file}: warning: ${about.text}` : `entrel: warning: ${message}`)}\n`);
}

/** A success or summary line on stderr (`entrel: wrote …`): none with --quiet, which keeps warnings and errors. */
export function printNote(message: string, flags: { quiet?: boolean }): void {
  if (!flags.quiet) process.stderr.write(`${printableLines(`entrel: ${message}`)}\n`);
}

/** printable, line by line: a message's own line breaks stay. */
export const printableLines = (s: string): string => s.split('\n').map(printable).join('\n');

/** Fixed-width table with a header row; numbers right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

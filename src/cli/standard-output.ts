/** A report's `--out` that is standard output (a command that prints a table there too must then leave it to the report). */
import { writesStandardOutput } from '../data/output-target.js';
import { UserError } from '../errors.js';

/**
 * `--out` to standard output carries the JSON report there, alone: refused beside `--json`, which prints it
 * too; `true` when the table is not to be printed.
 */
export function reportToStandardOutput(out: string | undefined, json: boolean | undefined): boolean {
  if (out === undefined || !writesStandardOutput(out)) return false;
  if (json) throw new UserError(`--out ${out} and --json both print the JSON to standard output: give one`);
  return true;
}

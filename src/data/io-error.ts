import { UserError } from '../errors.js';

/** `fs` failures (missing file, a directory, no permission) as one-line user errors. */
export function ioError(file: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code ?? String(e);
  return new UserError(`cannot read: ${why}`, { file });
}

import type { ErrorLocation } from '../errors.js';

/** A value read from a file, with where in it (its line or record), for the messages about it. */
export interface Located<T> {
  value: T;
  loc: ErrorLocation;
}

import { createHash } from 'node:crypto';

/** A Content-Security-Policy that lets a page run only its own inline scripts and talk only to its origin. */
export function contentSecurityPolicy(scripts: string[]): string {
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Cancellation of one extract call, from the caller's signal and the Extractor's own (`close()`). */

/**
 * One call's signal: aborts when any of `signals` does, with its reason; `unlink` detaches it from them
 * once the call is over (the Extractor's own signal lives long and must not collect listeners).
 */
export function callSignal(signals: (AbortSignal | undefined)[]): { signal: AbortSignal; unlink: () => void } {
  const call = new AbortController();
  const hooks: [AbortSignal, () => void][] = [];
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) call.abort(s.reason);
    const onAbort = () => call.abort(s.reason);
    s.addEventListener('abort', onAbort, { once: true });
    hooks.push([s, onAbort]);
  }
  return { signal: call.signal, unlink: () => hooks.forEach(([s, f]) => s.removeEventListener('abort', f)) };
}

/** Cancellation of one extract call, from the caller's signal and the Extractor's own (`close()`). */

/** The calls in flight on one outside signal, and the one listener that aborts them all. */
interface Hub {
  calls: Set<AbortController>;
  fire: () => void;
}

// One listener per outside signal, however many calls share it: a caller's signal (or the Extractor's
// lifetime) shared by more than 10 concurrent calls would otherwise make Node warn of a listener leak.
const hubs = new WeakMap<AbortSignal, Hub>();

function join(s: AbortSignal, call: AbortController): () => void {
  let hub = hubs.get(s);
  if (!hub) {
    const calls = new Set<AbortController>();
    const fire = () => {
      hubs.delete(s);
      for (const c of calls) c.abort(s.reason);
    };
    hub = { calls, fire };
    hubs.set(s, hub);
    s.addEventListener('abort', fire, { once: true });
  }
  const { calls, fire } = hub;
  calls.add(call);
  return () => {
    calls.delete(call);
    if (calls.size > 0 || hubs.get(s)?.calls !== calls) return;
    s.removeEventListener('abort', fire);
    hubs.delete(s);
  };
}

/**
 * One call's signal: aborts when any of `signals` does, with its reason; `unlink` detaches it from them
 * once the call is over (the Extractor's own signal lives long and must not collect listeners).
 */
export function callSignal(signals: (AbortSignal | undefined)[]): { signal: AbortSignal; unlink: () => void } {
  const call = new AbortController();
  const leaves: (() => void)[] = [];
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) call.abort(s.reason);
    else leaves.push(join(s, call));
  }
  return { signal: call.signal, unlink: () => leaves.forEach((leave) => leave()) };
}

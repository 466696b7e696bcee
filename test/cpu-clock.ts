/**
 * Durations that a busy machine does not stretch, for the tests that bound how long a computation takes,
 * how its time grows, or how long it holds the event loop. Wall time counts every moment another process
 * held the CPU: beside 4 busy processes on 2 cores a 12 ms call measured 60–130 ms while a 3 ms one often
 * ran whole, so bounds and ratios of wall times failed on a loaded machine. This process's CPU time (user
 * + system) does not count those moments, but it counts this process's other threads (the collector's
 * helpers, worker threads, libtorch's). So a time here is the lesser of the two: this thread's own time
 * when either the machine or this process's other threads are idle, and never more than the wall time.
 */
import { readFileSync } from 'node:fs';

/** This process's CPU time so far, ms (exact for the calling thread, to a clock tick for the others). */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface Stopwatch {
  /** ms since the stopwatch started: the lesser of wall and CPU time. */
  ms(): number;
  /** ms of wall time since it started, for messages. */
  wallMs(): number;
}

export function stopwatch(): Stopwatch {
  const [wall, cpu] = [performance.now(), cpuNow()];
  return { ms: () => Math.min(performance.now() - wall, cpuNow() - cpu), wallMs: () => performance.now() - wall };
}

/** How long `f()` took (the lesser of wall and CPU time), and what it returned. */
export function timed<T>(f: () => T): { value: T; ms: number } {
  const clock = stopwatch();
  const value = f();
  return { value, ms: clock.ms() };
}

/**
 * This thread's time so far spent runnable but waiting for a CPU (other processes had it), ms: the second
 * field of Linux's /proc/thread-self/schedstat; undefined where there is none.
 */
function waitedForCpu(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * How long this thread held itself up since the stopwatch started: wall time less the time it waited for
 * a CPU (Linux), so that it counts computing and blocking (a synchronous wait, file I/O, a child process)
 * but not other processes' turns; where that is unknown, the lesser of wall and CPU time (blocking then
 * does not count).
 */
function holdStopwatch(): Stopwatch {
  const waited = waitedForCpu();
  if (waited === undefined) return stopwatch();
  const wall = performance.now();
  return { ms: () => performance.now() - wall - (waitedForCpu()! - waited), wallMs: () => performance.now() - wall };
}

export interface Turns {
  /** Turns of the event loop seen (timer callbacks). */
  turns: number;
  /** The longest this thread went without a turn, not counting the time it waited for a CPU (holdStopwatch). */
  longestMs: number;
  /** The longest wall time between two turns (a busy machine's delays included), for messages. */
  longestWallMs: number;
}

/**
 * Watches the event loop from now until `stop()`: a timer every `everyMs` ms counts the turns and keeps the
 * longest gap between two, measured by holdStopwatch, so that a turn late only because other processes had
 * the CPU does not count as this thread holding the loop, and one late because the thread blocked does.
 */
export function watchTurns(everyMs = 2): { stop(): Turns } {
  let gap = holdStopwatch();
  const seen: Turns = { turns: 0, longestMs: 0, longestWallMs: 0 };
  let stopped: Turns | undefined;
  const note = () => {
    seen.longestMs = Math.max(seen.longestMs, gap.ms());
    seen.longestWallMs = Math.max(seen.longestWallMs, gap.wallMs());
  };
  const timer = setInterval(() => {
    note();
    seen.turns++;
    gap = holdStopwatch();
  }, everyMs);
  return {
    /** Stops watching (the time since the last turn counts too); again, the same figures. */
    stop() {
      if (stopped === undefined) {
        clearInterval(timer);
        note();
        stopped = { ...seen };
      }
      return stopped;
    },
  };
}

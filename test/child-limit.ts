/**
 * Options for spawnSync and execFileSync: a child still running after 10 minutes (the suite's
 * --test-timeout) is killed, so that a command that hangs fails its test instead of hanging the suite. A
 * synchronous call blocks the test file's event loop, so no test timeout can end it. The commands here take
 * seconds (tens of seconds beside 4 busy processes on 2 cores). A killed child has status null and signal
 * 'SIGKILL'.
 */
export const CHILD_LIMIT = { timeout: 600_000, killSignal: 'SIGKILL' } as const;

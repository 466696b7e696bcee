/**
 * Preloaded (`--import`) into a CLI child process by progress.test.ts: its stderr, a pipe, passes for a
 * terminal 120 columns wide, so the progress bars draw into the pipe the test reads. Nothing else changes.
 */
Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
Object.defineProperty(process.stderr, 'columns', { value: 120, configurable: true });

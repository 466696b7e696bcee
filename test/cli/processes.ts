/** The CLI in child processes, for tests that read its stdout or talk to `entrel serve`. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'src', 'cli', 'main.ts');
const script = `import {run} from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;

/** Most seconds a command run here may take (seconds on an idle machine): one that hangs fails instead. */
const COMMAND_SECONDS = 300;
/** Most seconds `entrel serve` may take to say where it listens, and to exit once told to stop. */
const SERVE_START_SECONDS = 120;
const SERVE_STOP_SECONDS = 30;

/** `entrel ...args` from the sources (tsx), in the repository: exit code, stdout and stderr. */
export function entrelFromSource(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: COMMAND_SECONDS * 1000,
    killSignal: 'SIGKILL',
  });
  const killed = r.signal === null ? '' : `\n(killed: entrel ${args.join(' ')} was still running after ${COMMAND_SECONDS} s)`;
  return { code: r.status, out: r.stdout, err: r.stderr + killed };
}

/** Resolves with the child's exit code once it has exited (at once if it already has). */
function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** `promise`, or a rejection with `message` after `seconds`. */
async function within<T>(promise: Promise<T>, seconds: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), seconds * 1000)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** How a child process ended, once its output is read to the end ('close'). */
export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * `entrel serve ...args` with the built bin, once it says where it listens: its URL, what it printed so
 * far (growing), the child (to signal it), `closed` (how it ended, its output all read), `said` (waits for
 * stderr to say something) and `stop` (SIGTERM, then its exit code). A server that does not start within
 * SERVE_START_SECONDS, or does not exit within SERVE_STOP_SECONDS of SIGTERM, is killed and fails the test.
 */
export async function startServe(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(process.execPath, [join(root, 'bin', 'entrel.js'), 'serve', ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { err: '', out: '' };
  child.stdout.on('data', (b: Buffer) => (out.out += b));
  const exited = exitOf(child);
  const closed = new Promise<Ended>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (b: Buffer) => {
      out.err += b;
      const m = /on (http:\/\/\S+)/.exec(out.err);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${out.err}`)));
  });
  let url: string;
  try {
    url = await within(listening, SERVE_START_SECONDS, () => `serve did not say where it listens within ${SERVE_START_SECONDS} s: ${out.err}`);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    throw e;
  }
  /** Waits (`seconds` at most) for stderr to say `what`, and fails the test with what it said otherwise. */
  const said = async (what: string, seconds = 10) => {
    for (const t0 = Date.now(); !out.err.includes(what) && Date.now() - t0 < seconds * 1000; ) await new Promise((r) => setTimeout(r, 20));
    if (!out.err.includes(what)) throw new Error(`serve did not say ${JSON.stringify(what)} within ${seconds} s: ${out.err}`);
  };
  const stop = async () => {
    const code = await stopChild(child, () => out.err);
    await closed;
    return code;
  };
  return { url, out, child, closed, said, stop };
}

/**
 * SIGTERM to a child (unless it has exited), then its exit code; one still running SERVE_STOP_SECONDS
 * later is killed (SIGKILL) and fails the test with what `stderr()` says.
 */
export async function stopChild(child: ChildProcess, stderr: () => string): Promise<number | null> {
  const exited = exitOf(child);
  child.kill('SIGTERM');
  try {
    return await within(exited, SERVE_STOP_SECONDS, () => `still running ${SERVE_STOP_SECONDS} s after SIGTERM: ${stderr()}`);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    throw e;
  }
}

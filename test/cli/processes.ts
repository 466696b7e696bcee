/** The CLI in child processes, for tests that read its stdout or talk to `entrel serve`. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'src', 'cli', 'main.ts');
const script = `import {run} from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;

/** `entrel ...args` from the sources (tsx), in the repository: exit code, stdout and stderr. */
export function entrelFromSource(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * `entrel serve ...args` with the built bin, once it says where it listens: its URL, what it printed so
 * far (growing), and `stop` (SIGTERM, then its exit code).
 */
export async function startServe(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = spawn(process.execPath, [join(root, 'bin', 'entrel.js'), 'serve', ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { err: '', out: '' };
  child.stdout.on('data', (b: Buffer) => (out.out += b));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (b: Buffer) => {
      out.err += b;
      const m = /on (http:\/\/\S+)/.exec(out.err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out.err}`)));
  });
  const stop = () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  };
  return { url, out, stop };
}

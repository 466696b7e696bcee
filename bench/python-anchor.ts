/**
 * Runs one of the PyTorch anchors of ../shared/anchors with Debian's /usr/bin/python3 (the python3 first
 * on PATH cannot see Debian's torch), OPENBLAS_NUM_THREADS=1 as on our side. A missing interpreter,
 * torch or anchor comes back as one line saying how to fix it, not as a Python traceback.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const INSTALL = 'install it with `apt-get install -y python3-torch libopenblas0-pthread`';

function python(args: string[], timeoutMs?: number): { stdout: string } | { error: string } {
  const r = spawnSync('/usr/bin/python3', args, {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: timeoutMs,
  });
  if (r.error) return { error: `cannot run /usr/bin/python3 (${r.error.message}): ${INSTALL}` };
  if (r.status !== 0) {
    const missing = /No module named '(\w+)'/.exec(r.stderr);
    if (missing) return { error: `PyTorch is not usable from /usr/bin/python3 (no module ${missing[1]}): ${INSTALL}` };
    return { error: `${args[0]} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-1)[0]}` };
  }
  return { stdout: r.stdout };
}

/** Why the anchor cannot run (no torch, no script), checked in a second before a long benchmark; undefined if it can. */
export function anchorProblem(script: string): string | undefined {
  if (!existsSync(script)) return `PyTorch reference not found at ${script}`;
  const r = python(['-c', 'import torch, numpy'], 60_000);
  return 'error' in r ? r.error : undefined;
}

export function runPythonAnchor(script: string, args: string[], timeoutMs?: number): { stdout: string } | { error: string } {
  if (!existsSync(script)) return { error: `PyTorch reference not found at ${script}` };
  return python([script, ...args], timeoutMs);
}

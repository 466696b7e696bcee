/**
 * Every bench script reads its command line through scripts/args.ts: `--help` prints the usage (every
 * option with its default) and exits 0; an unknown option, a missing value or a bad value prints one
 * line naming the option and the value, then the usage, and exits 2, never a Node stack trace; nothing
 * of the bench runs. (They called node:util's parseArgs directly: `--help` was ERR_PARSE_ARGS_UNKNOWN_OPTION
 * with a stack, `bench:fuzz -- --runs abc` ran 0 cases and passed.) A negative number after an option is
 * its value, refused by the option's own range check (`--seed -1` was Node's three-line "argument is
 * ambiguous"), and a word that only looks like an option is one line saying to join it (`--out=-x`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

interface Case {
  /** bench/<script>.ts */
  script: string;
  /** What `--help` must print: the usage's first words, then each option with its default. */
  help: (string | RegExp)[];
  /** Bad command lines, each with the line it must be refused with. */
  bad: [string[], RegExp][];
}

const CASES: Case[] = [
  {
    script: 'fuzz',
    help: ['usage: npm run bench:fuzz', /--runs N .*\(default: 3000\)/, /--seed S .*\(default: from the clock/, /--only TARGET .*jsonl, .*config.*\(default: all\)/],
    bad: [
      [['--runs', 'abc'], /^--runs: expected a whole number of at least 1, got "abc"$/],
      [['--only', 'nosuchtarget'], /^--only: expected one of jsonl, unified, .*config.*, got "nosuchtarget"$/],
      [['--seed', '-1'], /^--seed: expected a whole number from 0 to 2147483647, got "-1"$/],
      [['--seed', '--runs', '3'], /^--seed: missing its value \(the next word, --runs, is an option\)$/],
    ],
  },
  {
    script: 'serve',
    help: ['bench/serve.ts', /--duration S .*\(default: 10\)/, /--connections N,… .*\(default: 16,64\)/, /--workers W,… .*\(default: 0,2\)/, /--fake /],
    bad: [
      [['--workers', '0,100'], /^--workers: expected whole numbers from 0 to 64, got "100"$/],
      [['--workers', '-1,2'], /^--workers: expected whole numbers from 0 to 64, got "-1"$/],
    ],
  },
  {
    script: 'soak',
    help: ['usage: npm run bench:soak', /--duration S .*\(default: 300\)/, /--connections N .*\(default: 64\)/, /--model DIR .*\(default: models\/conll04/, /--fake /],
    bad: [
      [['--connections', '1.5'], /^--connections: expected a whole number of at least 1, got "1\.5"$/],
      [['--duration', '-.5'], /^--duration: expected a number above 0, got "-\.5"$/],
    ],
  },
  {
    script: 'extract',
    help: [
      'usage: npm run bench:extract',
      /--seconds S .*\(default: 10\)/,
      /--workers W,… .*\(default: 0,1,2\)/,
      /--rounds R .*\(default: 1\)/,
      /--concurrent C,… .*\(default: 1\)/,
      /--batch-size N .*\(default: the library's\)/,
      /--model DIR .*\(default: the bundled/,
    ],
    bad: [
      [['--seconds', 'abc'], /^--seconds: expected a number of at least 0, got "abc"$/],
      [['--seconds', '-0.5'], /^--seconds: expected a number of at least 0, got "-0\.5"$/],
    ],
  },
  {
    script: 'raw-text',
    help: ['usage: npm run bench:raw-text', /--split SPLIT .*test, dev or train.*\(default: test\)/, /--json /, /--model DIR/, /--top N .*\(default: 15\)/, /--verbose /, /--examples N .*\(default: 5\)/],
    bad: [
      [['--top', 'abc'], /^--top: expected a whole number of at least 0, got "abc"$/],
      [['--top', '-1'], /^--top: expected a whole number of at least 0, got "-1"$/],
    ],
  },
  {
    script: 'ensemble',
    help: ['usage: npm run bench:ensemble', /--model DIR .*at least two/, /--split SPLIT .*\(default: test\)/, /--min-votes K .*\(default: a majority\)/, /--workers N .*\(default: the library's\)/, /--json /],
    bad: [
      [['--model', 'a'], /^--model: give at least two models .*got 1$/],
      [['--model', 'a', '--model', 'b', '--workers', '-1'], /^--workers: expected a whole number from 0 to 64, got "-1"$/],
    ],
  },
  {
    script: 'sentences',
    help: ['usage: npm run bench:sentences', /--examples N .*\(default: 5\)/, /--top N .*\(default: 8\)/, /--json /],
    bad: [
      [['--top', 'abc'], /^--top: expected a whole number of at least 0, got "abc"$/],
      [['--examples', '-3'], /^--examples: expected a whole number of at least 0, got "-3"$/],
    ],
  },
  {
    script: 'word-vectors',
    help: ['usage: npm run bench:word-vectors', /--out DIR .*\(default: .*entrel-word-vectors\)/],
    bad: [
      [['--out'], /^Option '--out <value>' argument missing/],
      [['--out', '-x'], /^--out: "-x" reads as an option, not as its value; to give it as the value write --out=-x$/],
    ],
  },
  {
    script: 'huge-request',
    help: ['bench/huge-request.ts', /--workers W,… .*\(default: 0,2\)/, /--timeout S,… .*\(default: 0,30\)/],
    bad: [
      [['--timeout', '0,x'], /^--timeout: expected a number of at least 0, got "x"$/],
      [['--timeout', '-1,2'], /^--timeout: expected a number of at least 0, got "-1"$/],
    ],
  },
  {
    script: 'engine',
    help: ['usage: npm run bench:engine', /--quick /, /--rounds N .*\(default: 3; 1 with --quick\)/],
    bad: [
      [['--rounds', 'abc'], /^--rounds: expected a whole number of at least 1, got "abc"$/],
      [['--rounds', '-2'], /^--rounds: expected a whole number of at least 1, got "-2"$/],
    ],
  },
  {
    script: 'train',
    help: ['usage: npm run bench:train', /--epochs N .*\(default: 2\)/, /--infer-seconds S .*\(default: 2\)/],
    bad: [
      [['--infer-seconds', 'x'], /^--infer-seconds: expected a number of at least 0, got "x"$/],
      [['--infer-seconds', '-1e-3'], /^--infer-seconds: expected a number of at least 0, got "-1e-3"$/],
    ],
  },
  {
    script: 'mrt',
    help: ['usage: npm run bench:mrt', /--init MODEL_DIR .*required/, /--rounds N .*\(default: 2\)/, /--K K .*\(default: 3\)/, /--set key=value … /],
    bad: [
      [[], /^--init: missing/],
      [['--init', 'x', '--set', 'nosuchkey=1'], /nosuchkey: unknown key/],
      [['--init', 'x', '--K', '-1'], /^--K: expected a whole number of at least 1, got "-1"$/],
    ],
  },
];

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function runBench(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', `${script}.ts`), ...args], {
      cwd: root,
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = { out: '', err: '' };
    child.stdout.on('data', (b: Buffer) => (r.out += b));
    child.stderr.on('data', (b: Buffer) => (r.err += b));
    // A bench that started running instead of refusing its command line: stop it, and fail.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000); // SIGKILL: a bench may stop gracefully on SIGTERM
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...r });
    });
  });
}

/** Every command line of CASES run, two at a time (the processes only load modules and parse). */
const runs = new Map<string, Run>();
const key = (script: string, args: string[]) => `${script} ${JSON.stringify(args)}`;
before(async () => {
  const jobs = CASES.flatMap((c) => [['--help'], ['--bogus', '1'], ...c.bad.map(([args]) => args)].map((args) => [c.script, args] as const));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const [script, args] = jobs[next++];
      runs.set(key(script, args), await runBench(script, args));
    }
  };
  await Promise.all([worker(), worker()]);
});
const result = (script: string, args: string[]) => runs.get(key(script, args))!;

/** stderr of a refused command line: the message line, then the usage; no stack trace. */
function assertRefused(r: Run, message: RegExp, script: string): void {
  assert.equal(r.code, 2, r.err);
  assert.doesNotMatch(r.err, /^\s+at /m, 'a stack trace');
  assert.doesNotMatch(r.err, /ERR_PARSE_ARGS|TypeError|Error:/);
  const [first, ...rest] = r.err.split('\n');
  assert.match(first, message);
  assert.match(rest.join('\n'), new RegExp(`^usage: .*${script}`), r.err);
  assert.equal(r.out, '', 'the bench started');
}

for (const c of CASES) {
  test(`bench/${c.script}.ts: --help prints every option with its default and exits 0`, () => {
    const r = result(c.script, ['--help']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.match(r.out, /^usage: /);
    for (const h of c.help) assert.match(r.out, typeof h === 'string' ? new RegExp(h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : h);
  });

  test(`bench/${c.script}.ts: an unknown option is refused with the usage, exit 2`, () => {
    assertRefused(result(c.script, ['--bogus', '1']), /^Unknown option '--bogus'/, c.script);
  });

  test(`bench/${c.script}.ts: a bad value is refused naming the option and the value, exit 2`, () => {
    for (const [args, message] of c.bad) assertRefused(result(c.script, args), message, c.script);
  });
}

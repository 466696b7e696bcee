/**
 * The long fuzz run (`npm run bench:fuzz [-- --runs N --seed S --only TARGET]`): every reader, the types file and the
 * config loader, from our own seeds plus the first records of the shared benchmark files when
 * ../shared/data is there. Prints, per target, the cases run, how many parsed and how many ended in a
 * UserError, the mix of mutations and the slowest case; exits 1 on the first property violation, with the
 * seed to replay it. Then `linear`: the tokenizer and the sentence splitter on texts of a random short unit
 * repeated n and 4n times (test/text/linear.ts), which must cost at most 8 times as much, not 16 (a
 * quadratic regex); prints the case that grew the most.
 */
import fc from 'fast-check';
import { fuzz } from '../test/fuzz/drive.js';
import { targets } from '../test/fuzz/targets.js';
import { describeGrowth, linearityProperty, reviewExamples } from '../test/text/linear.js';
import { choiceArg, checkedArgs, integerArg, usageText } from '../scripts/args.js';

const all = await targets(true);
const LINEAR = 'linear';
const names = [...all.map((t) => t.name), LINEAR];
const options = { runs: { type: 'string', default: '3000' }, seed: { type: 'string' }, only: { type: 'string' } } as const;
const usage = usageText('npm run bench:fuzz [-- --runs N --seed S --only TARGET]', options, {
  runs: { value: 'N', text: 'cases per target, at least 1' },
  seed: { value: 'S', text: `fast-check seed, a whole number from 0 to ${2 ** 31 - 1}`, default: 'from the clock, printed' },
  only: { value: 'TARGET', text: `fuzz this target alone, one of ${names.join(', ')}`, default: 'all' },
});
const { runs, seed, only } = checkedArgs(usage, options, ({ values }) => ({
  runs: integerArg(values.runs, '--runs', 1),
  seed: values.seed === undefined ? Date.now() % 2 ** 31 : integerArg(values.seed, '--seed', 0, 2 ** 31 - 1),
  only: values.only === undefined ? undefined : choiceArg(values.only, '--only', names),
}));
console.log(`fuzz seed=${seed} runs=${runs} per target`);

let total = 0;
for (const target of all) {
  if (only !== undefined && target.name !== only) continue;
  try {
    const c = await fuzz(target, seed, runs);
    total += c.cases;
    const kinds = Object.entries(c.byKind).sort().map(([k, n]) => `${k}=${n}`).join(' ');
    console.log(
      `${target.name.padEnd(11)} seeds=${target.seeds.length} cases=${c.cases} parsed=${c.parsed} user-errors=${c.userErrors} ` +
        `slowest=${c.maxMs.toFixed(0)}ms  ${kinds}`,
    );
  } catch (e) {
    // fast-check's message holds the whole counterexample (up to 100 KB): keep each line short.
    const cause = (e as Error).cause as Error | undefined;
    const msg = [(e as Error).message, cause?.message ?? '']
      .join('\n')
      .split('\n')
      .filter((l) => !l.startsWith('Counterexample'))
      .map((l) => (l.length > 400 ? l.slice(0, 400) + '…' : l))
      .join('\n');
    console.log(`${target.name}: PROPERTY VIOLATED (replay with --seed ${seed} --only ${target.name})\n${msg}`);
    process.exitCode = 1;
  }
}
if (only === undefined || only === LINEAR) {
  // Timings of texts of about 6,000 and 24,000 characters (0.1 s a case, the review's cases first).
  let worst = { ratio: 0, text: 'none over 5 ms' };
  const t0 = performance.now();
  try {
    fc.assert(
      linearityProperty(6000, (prefix, unit, suffix, g) => {
        const ratio = g.large / Math.max(g.small, 0.1);
        if (g.large > 5 && ratio > worst.ratio) worst = { ratio, text: describeGrowth(prefix, unit, suffix, g) };
      }),
      { seed, numRuns: runs, endOnFailure: true, examples: reviewExamples },
    );
    total += runs;
    console.log(`${LINEAR.padEnd(11)} cases=${runs} ${((performance.now() - t0) / 1000).toFixed(0)}s  grew most (${worst.ratio.toFixed(1)}×): ${worst.text}`);
  } catch (e) {
    const msg = (e as Error).message.split('\n').filter((l) => !l.startsWith('Hint')).map((l) => (l.length > 400 ? l.slice(0, 400) + '…' : l)).join('\n');
    console.log(`${LINEAR}: PROPERTY VIOLATED (replay with --seed ${seed} --only ${LINEAR})\n${msg}`);
    process.exitCode = 1;
  }
}
console.log(`fuzz total cases=${total}`);
// Every target has seeds and --runs is at least 1, so this is a bug, never a pass.
if (total === 0 && !process.exitCode) {
  console.log('fuzz: no case ran');
  process.exitCode = 1;
}

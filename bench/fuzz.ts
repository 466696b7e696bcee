/**
 * The long fuzz run (`npm run bench:fuzz [-- --runs N --seed S]`): every reader, the types file and the
 * config loader, from our own seeds plus the first records of the shared benchmark files when
 * ../shared/data is there. Prints, per target, the cases run, how many parsed and how many ended in a
 * UserError, the mix of mutations and the slowest case; exits 1 on the first property violation, with the
 * seed to replay it.
 */
import { parseArgs } from 'node:util';
import { fuzz } from '../test/fuzz/drive.js';
import { targets } from '../test/fuzz/targets.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3000' }, seed: { type: 'string' }, only: { type: 'string' } },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
console.log(`fuzz seed=${seed} runs=${runs} per target`);

let total = 0;
for (const target of await targets(true)) {
  if (values.only && target.name !== values.only) continue;
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
console.log(`fuzz total cases=${total}`);

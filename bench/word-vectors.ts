/**
 * The reader of one's own word vectors (config `embeddings`, src/model/word-vectors.ts) on a file of
 * GloVe's size: the bundled GloVe 6B 100d written out as a fastText-style text file and in word2vec's
 * binary format, then read back.
 *   npm run bench:word-vectors [-- --out DIR]
 * Reports the text file's size, the first load (parse + binary cache), a cached load in a fresh process,
 * and that every row equals GloVe's (so training with `embeddings=DIR/glove.txt` must repeat a GloVe run
 * exactly; README, Your own data). Ends with one JSON line. The cache goes to DIR/cache; the files (about
 * 940 MB) stay in DIR for a rerun or a training with them.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadGlove } from '../src/model/glove.js';
import { loadWordVectors } from '../src/model/word-vectors.js';
import { scriptArgs, usageText } from '../scripts/args.js';

const options = { out: { type: 'string', default: join(process.env.TMPDIR ?? '/tmp', 'entrel-word-vectors') } } as const;
const usage = usageText('npm run bench:word-vectors [-- --out DIR]', options, {
  out: { value: 'DIR', text: 'where the files (about 940 MB) and their cache are written' },
});
const dir = scriptArgs(usage, options).values.out;
const text = join(dir, 'glove.txt');
const cache = join(dir, 'cache');
mkdirSync(dir, { recursive: true });
rmSync(cache, { recursive: true, force: true });

const glove = loadGlove();
const out = createWriteStream(text);
out.write(`${glove.words.length} ${glove.dim}\n`);
for (let i = 0; i < glove.words.length; i++) {
  // 9 significant digits print a float32 exactly.
  const v = Array.from(glove.vectors.subarray(i * glove.dim, (i + 1) * glove.dim), (x) => Number(x.toPrecision(9)));
  if (!out.write(`${glove.words[i]} ${v.join(' ')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
}
out.end();
await new Promise<void>((r) => out.on('finish', () => r()));

process.env.ENTREL_CACHE = cache;
const t0 = performance.now();
const table = loadWordVectors(text);
const firstLoad = (performance.now() - t0) / 1000;
/** GloVe's words whose row in `t` is missing or differs. */
const rowsDiffering = (t: typeof glove) =>
  glove.words.filter((w, i) => {
    const r = t.row(w);
    return r === undefined || glove.vectors.subarray(i * glove.dim, (i + 1) * glove.dim).some((x, d) => x !== t.vectors[r * glove.dim + d]);
  }).length;
const differing = rowsDiffering(table);
// A fresh process finds the cache.
const probe = `import { loadWordVectors } from ${JSON.stringify(new URL('../src/model/word-vectors.ts', import.meta.url).pathname)};
const t = performance.now(); loadWordVectors(${JSON.stringify(text)}); console.log((performance.now() - t) / 1000);`;
const cached = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8', env: { ...process.env, ENTREL_CACHE: cache } });
if (cached.status !== 0) throw new Error(cached.stderr);
const cachedLoad = Number(cached.stdout.trim());

// The same table in word2vec's binary format.
const bin = join(dir, 'glove.bin');
const raw = createWriteStream(bin);
raw.write(`${glove.words.length} ${glove.dim}\n`);
for (let i = 0; i < glove.words.length; i++) {
  const row = Buffer.from(glove.vectors.slice(i * glove.dim, (i + 1) * glove.dim).buffer);
  if (!raw.write(Buffer.concat([Buffer.from(`${glove.words[i]} `), row, Buffer.from('\n')]))) await new Promise<void>((r) => raw.once('drain', () => r()));
}
raw.end();
await new Promise<void>((r) => raw.on('finish', () => r()));
const t1 = performance.now();
const fromBinary = loadWordVectors(bin);
const binaryLoad = (performance.now() - t1) / 1000;
const binaryDiffering = rowsDiffering(fromBinary);

const mb = statSync(text).size / 2 ** 20;
console.log(`${text}: ${glove.words.length} words × ${glove.dim}, ${mb.toFixed(0)} MiB`);
console.log(`first load (parse + cache): ${firstLoad.toFixed(1)} s (${(mb / firstLoad).toFixed(0)} MiB/s); cached, fresh process: ${cachedLoad.toFixed(2)} s`);
console.log(`rows differing from GloVe: ${differing}`);
console.log(`${bin} (word2vec binary, ${(statSync(bin).size / 2 ** 20).toFixed(0)} MiB): first load ${binaryLoad.toFixed(1)} s, rows differing from GloVe: ${binaryDiffering}`);
console.log(JSON.stringify({ words: glove.words.length, dim: glove.dim, mib: Math.round(mb), firstLoadS: +firstLoad.toFixed(2), cachedLoadS: +cachedLoad.toFixed(3), differing, binaryLoadS: +binaryLoad.toFixed(2), binaryDiffering }));

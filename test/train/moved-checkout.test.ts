/**
 * A run resumes from a moved or renamed checkout: its checkpoint records its config's paths as absolute
 * (data.train, data.dev, data.test, embeddings, init), and a path that now differs is accepted when what
 * it names has the digest the checkpoint recorded, with one line on stderr; other content is refused as
 * any changed setting is. The word vectors and the --init model are also checked at the same path.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../../src/errors.js';
import { loadConfig } from '../../src/train/config.js';
import { continueNN, trainNN } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';
import { stderrOf } from '../stderr.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const root = tempDir('entrel-moved-');
process.env.ENTREL_CACHE = join(root, 'cache');

/**
 * A checkout in `dir`: the tiny config with paths relative to it (as a repository's configs are), its
 * data, a test file and (`vectors`) word vectors of 8 dimensions.
 */
function checkout(dir: string, vectors = true): void {
  mkdirSync(dir, { recursive: true });
  cpSync(join(fixtures, 'tiny-train.json'), join(dir, 'train.json'));
  cpSync(join(fixtures, 'tiny-dev.json'), join(dir, 'dev.json'));
  cpSync(join(fixtures, 'tiny-dev.json'), join(dir, 'test.json'));
  const words = ['works', 'for', 'lives', 'in', 'mary'];
  writeFileSync(join(dir, 'vectors.txt'), words.map((w, i) => `${w} ${Array.from({ length: 8 }, (_, d) => ((i + 1) * (d + 1)) / 100).join(' ')}\n`).join(''));
  const config = JSON.parse(readFileSync(join(fixtures, 'tiny.json'), 'utf8'));
  config.data = { ...config.data, train: 'train.json', dev: 'dev.json', test: 'test.json' };
  if (vectors) Object.assign(config, { glove: true, embeddings: 'vectors.txt' });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
}

const config = (dir: string, epochs: number, sets: string[] = []) => loadConfig(join(dir, 'config.json'), [`epochs=${epochs}`, ...sets]);

/** Changes one entity's type in a data file: the same words, other annotations. */
function relabel(file: string): void {
  const records = JSON.parse(readFileSync(file, 'utf8'));
  const e = records[0].entities[0];
  e[2] = e[2] === 'Org' ? 'Loc' : 'Org';
  writeFileSync(file, JSON.stringify(records));
}

/** The refusal of a changed setting, as a resume gives it: its one line must start with `start`. */
function refused(start: string): (e: unknown) => true {
  return (e) => {
    assert.ok(isUserError(e), String(e));
    assert.ok(e.message.startsWith(start), e.message);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  };
}

test('a renamed checkout resumes: each moved path naming the same content is accepted, and said in one line', async () => {
  const [a, b, c] = [join(root, 'a'), join(root, 'b'), join(root, 'c')];
  checkout(a);
  await trainNN(config(a, 1), join(a, 'run'), { quiet: true });
  renameSync(a, b);
  let epochs = 0;
  // It was refused: cannot resume with a different "data.train" ("…/a/train.json" in the checkpoint, "…/b/train.json" now).
  const said = await stderrOf(async () => (epochs = (await trainNN(config(b, 2), join(b, 'run'), { resume: true })).epochs));
  assert.equal(epochs, 2);
  const moved = ['train.json', 'dev.json', 'test.json', 'vectors.txt'].map((f, i) => `${['data.train', 'data.dev', 'data.test', 'embeddings'][i]} is ${JSON.stringify(join(b, f))}, not ${JSON.stringify(join(a, f))} as in the checkpoint`);
  const line = `entrel: ${join(b, 'run', 'last')}: ${moved.join('; ')}: the same content (by its digest), so the run resumes with these paths`;
  assert.ok(said.split('\n').includes(line), `${line}\nnot in:\n${said}`);
  assert.match(said, new RegExp(`entrel: resuming ${join(b, 'run')} after epoch 1\n`));

  // Moved again (the checkpoint since records b's paths), with other content at a path: refused as a changed setting, as before.
  renameSync(b, c);
  const original = readFileSync(join(c, 'train.json'));
  relabel(join(c, 'train.json'));
  await assert.rejects(trainNN(config(c, 3), join(c, 'run'), { quiet: true, resume: true }),
    refused(`${join(c, 'run', 'last')}: cannot resume with a different "data.train" (${JSON.stringify(join(b, 'train.json'))} in the checkpoint, ${JSON.stringify(join(c, 'train.json'))} now); only epochs, patience and threads may change`));
  writeFileSync(join(c, 'train.json'), original);
  // The test file is not read by training, but a path to other bytes is still another setting.
  appendFileSync(join(c, 'test.json'), '\n');
  await assert.rejects(trainNN(config(c, 3), join(c, 'run'), { quiet: true, resume: true }),
    refused(`${join(c, 'run', 'last')}: cannot resume with a different "data.test" (${JSON.stringify(join(b, 'test.json'))} in the checkpoint, ${JSON.stringify(join(c, 'test.json'))} now)`));
  cpSync(join(fixtures, 'tiny-dev.json'), join(c, 'test.json'));
  assert.equal((await trainNN(config(c, 3), join(c, 'run'), { quiet: true, resume: true })).epochs, 3);
  // Its checkpoint now records c's paths: the next resume there has nothing to say about them.
  const again = await stderrOf(() => trainNN(config(c, 4), join(c, 'run'), { resume: true }));
  assert.doesNotMatch(again, /as in the checkpoint/);
  assert.match(again, /resuming .* after epoch 3\n/);
});

test('word vectors changed at the same path since the checkpoint are refused, naming the file', async () => {
  const d = join(root, 'd');
  checkout(d);
  await trainNN(config(d, 1), join(d, 'run'), { quiet: true });
  const vectors = join(d, 'vectors.txt');
  writeFileSync(vectors, readFileSync(vectors, 'utf8').replace('0.01 ', '0.5 '));
  // It resumed: dev's unseen words were read through other vectors than the run's so far.
  await assert.rejects(trainNN(config(d, 2), join(d, 'run'), { quiet: true, resume: true }),
    refused(`${vectors}: changed since the checkpoint in ${join(d, 'run', 'last')} (embeddings: other word vectors than the run reads its words through): restore them to resume, or train with them into a new --out`));
});

test('a continued model (--init) in a renamed checkout resumes from the same model; another model there is refused', async () => {
  const [a, b] = [join(root, 'init-a'), join(root, 'init-b')];
  // No word vectors: a model records where its own are, and finds them moved only through ENTREL_EMBEDDINGS.
  checkout(a, false);
  await trainNN(config(a, 1), join(a, 'nn'), { quiet: true });
  const init = (dir: string) => [`init=${JSON.stringify(join(dir, 'nn', 'best'))}`];
  await continueNN(config(a, 1, init(a)), join(a, 'cont'), { quiet: true });
  renameSync(a, b);
  let epochs = 0;
  const said = await stderrOf(async () => (epochs = (await continueNN(config(b, 2, init(b)), join(b, 'cont'), { resume: true })).epochs));
  assert.equal(epochs, 2);
  const line = said.split('\n').find((l) => l.startsWith(`entrel: ${join(b, 'cont', 'last')}: `)) ?? '';
  assert.ok(line.includes(`; init is ${JSON.stringify(join(b, 'nn', 'best'))}, not ${JSON.stringify(join(a, 'nn', 'best'))} as in the checkpoint`), line || said);
  assert.ok(line.endsWith(': the same content (by its digest), so the run resumes with these paths'), line);
  // The model retrained in place: another model than the run started from (it resumed).
  await trainNN(config(b, 2, ['seed=6']), join(b, 'nn-2'), { quiet: true });
  cpSync(join(b, 'nn-2', 'best'), join(b, 'nn', 'best'), { recursive: true });
  await assert.rejects(continueNN(config(b, 3, init(b)), join(b, 'cont'), { quiet: true, resume: true }),
    refused(`${join(b, 'nn', 'best')}: changed since the checkpoint in ${join(b, 'cont', 'last')} (init: another model than the run started from): restore it to resume, or start from it into a new --out`));
});

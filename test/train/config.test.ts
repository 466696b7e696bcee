import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os, { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadConfig, modelConfig, parseConfig } from '../../src/train/config.js';
import { configKeys } from '../../src/train/config-schema.js';
import { isUserError } from '../../src/errors.js';
import { DEFAULT_MODEL_CONFIG, validateModelConfig } from '../../src/model/config.js';
import type { ModelConfig } from '../../src/model/types.js';
import { configKeysTable, KEYS_BEGIN, KEYS_END } from '../../scripts/config-keys-table.js';
import { tempDir } from '../temp-dir.js';
import { userError } from '../user-error.js';

const dir = tempDir('entrel-config-');
function file(obj: unknown, name = 'c.json'): string {
  const p = join(dir, name);
  writeFileSync(p, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return p;
}
const minimal = { data: { train: 'train.json', dev: 'dev.json' } };
const message = (f: () => unknown): string => userError(f).message;

test('defaults are the paper settings', () => {
  const c = parseConfig(minimal, 'x.json');
  assert.deepEqual(c.model, {
    wordDim: 100, charDim: 50, charWidths: [2, 3], charFilters: 25, lstmHidden: 64, lstmLayers: 1, relWidths: [2, 3], relFilters: 25,
    mlpHidden: 128, dropout: 0.5, maxDistance: 200, fixRightContext: true, tagScheme: 'BILOU', decoder: 'argmax', tagger: 'softmax', caseDim: 0,
    wordDropout: 0, lockedDropout: false, charFeatureDropout: false, lmHidden: 0, staticWords: false, tokenizer: 'ptb',
  });
  assert.equal(c.addGoldPairs, true, "the authors' code adds the gold relations' pairs as candidates");
  assert.equal(c.optimizer, 'adadelta');
  assert.deepEqual(c.adadelta, { lr: 1, rho: 0.9, eps: 1e-6 });
  assert.equal(c.batchSize, 100);
  assert.equal(c.clip, 1);
  assert.equal(c.scheduleK, 1);
  assert.equal(c.lmWeight, undefined, "absent: the model's default γ (Rei 2017's 0.1), used only with model.lmHidden > 0");
  assert.equal(c.lrDecay, 1, 'a constant learning rate (the paper)');
  assert.equal(c.glove, true);
  assert.equal(c.freezeWords, false);
  assert.deepEqual(c.mrt, { delta: 'E+R', gamma: true, alpha: 1, mu: 1, K: 2, sampleRelations: true, epsilon: 0.1, sampler: 'tokens', proposal: 'train', paperCompat: false, weight: 1 });
});

test("MRT without Γ takes footnote 12's α = 1e-4 and K = 3 unless they are given; with Γ α = 1 and K = 2", () => {
  const mrt = (block: object, sets: string[] = []) => loadConfig(file({ ...minimal, mrt: block }), sets).mrt;
  assert.deepEqual([mrt({}).alpha, mrt({}).K], [1, 2]);
  assert.deepEqual([mrt({ gamma: false, delta: 'E' }).alpha, mrt({ gamma: false, delta: 'E' }).K], [1e-4, 3]);
  assert.deepEqual([mrt({ delta: 'E' }, ['gamma=false']).alpha, mrt({ delta: 'E' }, ['gamma=false']).K], [1e-4, 3]);
  const given = mrt({ gamma: false, delta: 'E', alpha: 0.5 }, ['K=4']);
  assert.deepEqual([given.alpha, given.K], [0.5, 4]);
  assert.match(message(() => loadConfig(file({ ...minimal, mrt: { gamma: false, delta: 'E', alpha: null } }))), /mrt\.alpha.*positive number, got null/);
});

test('paths in the file are relative to the file, --set paths to the cwd', () => {
  const c = loadConfig(file(minimal), ['data.dev=other/dev.json']);
  assert.equal(c.data.train, join(dir, 'train.json'));
  assert.equal(c.data.dev, resolve('other/dev.json'));
});

test('--set: dotted keys, JSON values, MRT shortcuts', () => {
  const c = loadConfig(file(minimal), [
    'epochs=7', 'seed=3', 'optimizer=adam', 'batchSize=32', 'adam.lr=0.002', 'model.charWidths=[3]',
    'model.fixRightContext=false', 'delta=E', 'gamma=false', 'alpha=1e-4', 'mu=0.5', 'K=3', 'sampleRelations=false', 'mrt.proposal=eval', 'addGoldPairs=false', 'model.charFeatureDropout=true',
  ]);
  assert.equal(c.addGoldPairs, false);
  assert.equal(c.model.charFeatureDropout, true);
  assert.equal(c.epochs, 7);
  assert.equal(c.seed, 3);
  assert.equal(c.optimizer, 'adam');
  assert.equal(c.batchSize, 32);
  assert.equal(c.adam.lr, 0.002);
  assert.deepEqual(c.model.charWidths, [3]);
  assert.equal(c.model.fixRightContext, false);
  assert.deepEqual(c.mrt, { delta: 'E', gamma: false, alpha: 1e-4, mu: 0.5, K: 3, sampleRelations: false, epsilon: 0.1, sampler: 'tokens', proposal: 'eval', paperCompat: false, weight: 1 });
});

test('errors are one line naming the file and the field', () => {
  const f = file(minimal);
  assert.equal(message(() => loadConfig(f, ['batchSize=abc'])), `${f}: batchSize: expected a positive integer, got "abc" (from --set)`);
  assert.equal(message(() => loadConfig(f, ['epochs=0'])), `${f}: epochs: expected a positive integer, got 0 (from --set)`);
  assert.equal(message(() => loadConfig(f, ['optimizer=sgd'])), `${f}: optimizer: expected "adadelta" or "adam", got "sgd" (from --set)`);
  assert.equal(message(() => loadConfig(f, ['delta=X'])), `${f}: mrt.delta: expected "E", "R", "E+R" or "none", got "X" (from --set)`);
  assert.equal(message(() => loadConfig(f, ['model.tagger=hmm'])), `${f}: model.tagger: expected "softmax" or "crf", got "hmm" (from --set)`);
  assert.match(message(() => loadConfig(f, ['model.tagger=crf'])), /: model\.decoder: must be "viterbi" with tagger "crf"/);
  assert.equal(loadConfig(f, ['model.tagger=crf', 'model.decoder=viterbi']).model.tagger, 'crf');
  const bad = file({ ...minimal, model: { dropout: 1.5 } }, 'bad.json');
  assert.equal(message(() => loadConfig(bad)), `${bad}:1: model.dropout: expected a number in [0, 1), got 1.5`);
  const noDev = file({ data: { train: 'a' } }, 'nodev.json');
  assert.equal(
    message(() => loadConfig(noDev)),
    `${noDev}: data.dev: missing (required): the dev file chooses the model; to carve one out of your data: entrel split FILE --out DIR`,
  );
  const noTrain = file({ data: { dev: 'a' } }, 'notrain.json');
  assert.equal(message(() => loadConfig(noTrain)), `${noTrain}: data.train: missing (required)`);
  const broken = file('{"data": ', 'broken.json');
  assert.match(message(() => loadConfig(broken)), new RegExp(`^${broken}: invalid JSON`));
  assert.match(message(() => loadConfig(join(dir, 'none.json'))), /none\.json: cannot read config: no such file$/);
  assert.match(message(() => loadConfig(f, ['novalue'])), /--set expects key=value/);
  assert.match(message(() => loadConfig(f, ['__proto__.polluted=1'])), /not a key/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  for (const m of [message(() => loadConfig(f, ['batchSize=abc'])), message(() => loadConfig(broken))]) assert.ok(!m.includes('\n'), '!m.includes(\'\\n\')');
});

test('unknown keys are rejected with a suggestion', () => {
  const f = file(minimal);
  // Names Object.prototype has are keys like any other, not shortcuts (was: TypeError "key.split is not a function").
  for (const k of ['constructor', 'toString', 'hasOwnProperty'])
    assert.match(message(() => loadConfig(f, [`${k}=1`])), new RegExp(`^${f}: ${k}: unknown key`));
  assert.equal(message(() => loadConfig(f, ['bachSize=3'])), `${f}: bachSize: unknown key (did you mean "batchSize"?) (from --set)`);
  assert.match(message(() => loadConfig(f, ['zzzzzzzzzz=1'])), /zzzzzzzzzz: unknown key \(known keys: data, model,.*\) \(from --set\)$/);
});

test('an unknown key says "(from --set)" as every other --set error does, and suggests the full path of a nested key', () => {
  const f = file(minimal);
  assert.equal(message(() => loadConfig(f, ['epoch=2'])), `${f}: epoch: unknown key (did you mean "epochs"?) (from --set)`);
  assert.equal(message(() => loadConfig(f, ['model.dropot=0.3'])), `${f}: model.dropot: unknown key (did you mean "model.dropout"?) (from --set)`);
  assert.equal(message(() => loadConfig(f, ['model.lstmHiden=3'])), `${f}: model.lstmHiden: unknown key (did you mean "model.lstmHidden"?) (from --set)`);
  assert.equal(message(() => loadConfig(f, ['dropout=0.3'])), `${f}: dropout: unknown key (did you mean "model.dropout"?) (from --set)`, 'a key of another block');
  assert.match(message(() => loadConfig(f, ['foo.bar=1'])), /: foo: unknown key \(known keys: .*\) \(from --set\)$/, 'a block --set made');
  // In the file: no "(from --set)", and the line of the key.
  const inFile = file('{\n  "data": {"train": "a", "dev": "b"},\n  "model": {\n    "dropot": 0.3\n  }\n}\n', 'nested-typo.json');
  assert.equal(message(() => loadConfig(inFile)), `${inFile}:4: model.dropot: unknown key (did you mean "model.dropout"?)`);
});

test('an error in a config file names the line of its key; a value --set gave names none', () => {
  const text = [
    '{',
    '  "data": {',
    '    "train": ["a.json",',
    '              ""],',
    '    "dev": "b.json",',
    '    "fromat": "jsonl"',
    '  },',
    '  "epochs": 0,',
    '  "mrt": { "K": 0 }',
    '}',
  ].join('\n');
  const f = file(text, 'lines.json');
  const at = (obj: string) => message(() => loadConfig(file(obj, 'lines.json')));
  assert.equal(message(() => loadConfig(f)), `${f}:4: data.train[1]: expected a file path (string), got ""`, 'an array element: its own line');
  assert.equal(at(text.replace('""]', '"c.json"]')), `${f}:6: data.fromat: unknown key (did you mean "data.format"?)`);
  const noBadTrain = text.replace('"fromat"', '"format"').replace('""]', '"c.json"]');
  assert.equal(at(noBadTrain), `${f}:8: epochs: expected a positive integer, got 0`);
  assert.equal(at(noBadTrain.replace('"epochs": 0', '"epochs": 1')), `${f}:9: mrt.K: expected a positive integer, got 0`);
  assert.equal(message(() => loadConfig(file(noBadTrain, 'lines.json'), ['epochs=-1'])), `${f}: epochs: expected a positive integer, got -1 (from --set)`);
  // A key written twice is the last one, as JSON.parse reads it.
  const twice = file('{"data": {"train": "a", "dev": "b"},\n"epochs": 3,\n"epochs": 0}', 'twice.json');
  assert.equal(message(() => loadConfig(twice)), `${twice}:3: epochs: expected a positive integer, got 0`);
  // Missing: no line to name.
  const noDev = file('{\n"data": {"train": "a"}\n}', 'nodev-lines.json');
  assert.match(message(() => loadConfig(noDev)), new RegExp(`^${noDev}: data\\.dev: missing`));
});

test('--set KEY=null removes a key the config file sets: configs/nyt.json read as another format', () => {
  const nyt = join(import.meta.dirname, '..', '..', 'configs', 'nyt.json');
  assert.match(message(() => loadConfig(nyt, ['data.format=jsonl'])), /data\.devSplit: selects part of an NYT/);
  const c = loadConfig(nyt, ['data.format=jsonl', 'data.devSplit=null', 'data.testSplit=null']);
  assert.deepEqual([c.data.format, c.data.devSplit, c.data.testSplit], ['jsonl', undefined, undefined]);
  assert.ok(!Object.hasOwn(c.data, 'devSplit'), 'the key is gone, not set to undefined');
  const f = file({ ...minimal, epochs: 7, model: { dropout: 0.3 } }, 'unset.json');
  assert.equal(loadConfig(f, ['epochs=null']).epochs, 100, 'a key with a default takes it');
  assert.equal(loadConfig(f, ['model.dropout=null']).model.dropout, 0.5);
  assert.equal(message(() => loadConfig(f, ['data.train=null'])), `${f}: data.train: missing (required) (from --set)`);
  // In the file, null is a value like any other, and refused.
  assert.match(message(() => loadConfig(file({ ...minimal, epochs: null }, 'null.json'))), /epochs: expected a positive integer, got null$/);
});

test('data.types: a types file read with every data file, resolved like the other data paths', async () => {
  const c = loadConfig(file({ data: { ...minimal.data, types: 'sp_types.json' } }, 'types.json'));
  assert.equal(c.data.types, join(dir, 'sp_types.json'));
  assert.equal(loadConfig(file(minimal), ['data.types=x_types.json']).data.types, resolve('x_types.json'));
  const { readingOptions } = await import('../../src/train/data.js');
  for (const part of ['train', 'dev', 'test'] as const) assert.equal(readingOptions(c, part).typesFile, c.data.types, part);
  assert.equal(readingOptions(loadConfig(file(minimal))).typesFile, undefined);
  const { checkDataFiles } = await import('../../src/train/config.js');
  for (const name of ['train.json', 'dev.json']) writeFileSync(join(dir, name), '[]');
  assert.equal(message(() => checkDataFiles(c, 'types.json')), `types.json: data.types: no such file: ${join(dir, 'sp_types.json')}`);
  assert.equal(message(() => checkDataFiles(loadConfig(file(minimal), [`data.types=${JSON.stringify(dir)}`]), 'c.json', new Map([['data.types', '--set']]))),
    `c.json: data.types: is not a file: ${dir} (expected a types file, as --types reads) (from --set)`);
});

test('keysForOption: the config key a train --OPTION means, for its hint', async () => {
  const { keysForOption } = await import('../../src/train/config.js');
  assert.deepEqual(keysForOption('types'), ['data.types']);
  assert.deepEqual(keysForOption('format'), ['data.format']);
  assert.deepEqual(keysForOption('split'), ['data.devSplit', 'data.testSplit']);
  assert.deepEqual(keysForOption('tokenizer'), ['model.tokenizer']);
  assert.deepEqual(keysForOption('brat-layout'), ['data.bratLayout']);
  assert.deepEqual(keysForOption('ace05'), ['data.ace05']);
  assert.deepEqual(keysForOption('seed'), ['seed']);
  assert.deepEqual(keysForOption('batch-size'), ['batchSize']);
  assert.deepEqual(keysForOption('K'), ['K']);
  assert.deepEqual(keysForOption('dropout'), ['model.dropout']);
  assert.deepEqual(keysForOption('lr'), ['adadelta.lr', 'adam.lr']);
  assert.deepEqual(keysForOption('model.dropout'), ['model.dropout']);
  for (const none of ['gold', 'data', 'workers', 'no-such-thing']) assert.deepEqual(keysForOption(none), [], none);
});

test('data.train may list several files, each resolved like a single path', () => {
  const c = loadConfig(file({ data: { train: ['a.json', '/abs/b.json'], dev: 'dev.json' } }, 'list.json'), []);
  assert.deepEqual(c.data.train, [join(dir, 'a.json'), '/abs/b.json']);
  const set = loadConfig(file(minimal), ['data.train=["x.json","y.json"]']);
  assert.deepEqual(set.data.train, [resolve('x.json'), resolve('y.json')]);
  const f = file({ data: { train: [], dev: 'dev.json' } }, 'empty-list.json');
  assert.equal(message(() => loadConfig(f)), `${f}:1: data.train: expected a file path or a non-empty list of file paths, got []`);
});

// The corpora the paper trains on that are not in ../shared/data (ACE05 is licensed by the LDC; NYT CoType's
// training file is not public there): their configs point where configs/README.md says to put them.
const USERS_OWN = [/\/shared\/data\/ace05\/(train|dev|test)$/, /\/shared\/data\/nyt_cotype\/train\.json$/];

test('every shipped config in configs/ loads, and its data files exist or are the user\'s own ACE05 / NYT', () => {
  const configs = readdirSync('configs').filter((f) => f.endsWith('.json'));
  assert.ok(configs.length >= 9, configs.join(', '));
  const readme = readFileSync('configs/README.md', 'utf8');
  for (const f of configs) {
    assert.ok(readme.includes(`| \`${f}\` |`), `configs/README.md has no row for ${f}`);
    const c = loadConfig(join('configs', f));
    for (const p of [c.data.train, c.data.dev, c.data.test].flat())
      if (p) assert.ok(existsSync(p) || USERS_OWN.some((r) => r.test(p)), `${f}: ${p}`);
  }
  const nyt = loadConfig('configs/nyt.json');
  assert.deepEqual([nyt.data.format, nyt.data.devSplit, nyt.data.testSplit], ['nyt', 'dev', 'test']);
  assert.equal(loadConfig('configs/ace05.json').data.ace05, true);
});

test('configs/README.md lists every config key with its default, as the schema has them', () => {
  const readme = readFileSync(new URL('../../configs/README.md', import.meta.url), 'utf8');
  const block = readme.slice(readme.indexOf(KEYS_BEGIN) + KEYS_BEGIN.length, readme.indexOf(KEYS_END)).trim();
  assert.equal(block, configKeysTable(), 'run: node --import tsx scripts/config-keys.ts');
  assert.ok(configKeys().some((k) => k.key === 'mrt.weight' && k.default === 1), 'configKeys().some((k) => k.key === \'mrt.weight\' && k.default === 1)');
  assert.ok(configKeys().some((k) => k.key === 'model.lstmHidden' && k.default === 64), 'configKeys().some((k) => k.key === \'model.lstmHidden\' && k.default === 64)');
});

test('threads: absent from the file and --set, ENTREL_THREADS gives it (as every other command reads it)', () => {
  const f = file(minimal, 'threads.json');
  const saved = process.env.ENTREL_THREADS;
  try {
    process.env.ENTREL_THREADS = '1';
    assert.equal(loadConfig(f).threads, 1);
    assert.equal(loadConfig(f, ['threads=3']).threads, 3, '--set wins');
    assert.equal(loadConfig(file({ ...minimal, threads: 4 }, 'threads4.json')).threads, 4, 'the file wins');
    delete process.env.ENTREL_THREADS;
    assert.equal(loadConfig(f).threads, Math.min(2, availableParallelism()));
    // Read as the native loader and extraction read it (src/errors.ts envCount): one rule, one message.
    process.env.ENTREL_THREADS = 'two';
    assert.equal(message(() => loadConfig(f)), 'ENTREL_THREADS: must be an integer from 1 to 1024, got "two"');
    process.env.ENTREL_THREADS = '1000000000';
    assert.equal(message(() => loadConfig(f)), 'ENTREL_THREADS: must be an integer from 1 to 1024, got "1000000000"');
    process.env.ENTREL_THREADS = ' 3 ';
    assert.equal(loadConfig(f).threads, 3);
  } finally {
    if (saved === undefined) delete process.env.ENTREL_THREADS;
    else process.env.ENTREL_THREADS = saved;
  }
});

test('threads: the default is no more than the cores of the machine (on one core it was 2, and every run warned of it)', (t) => {
  const f = file(minimal, 'threads-default.json');
  const saved = process.env.ENTREL_THREADS;
  delete process.env.ENTREL_THREADS;
  t.mock.method(os, 'availableParallelism', () => 1);
  syncBuiltinESMExports(); // the named import config.ts holds sees the mock
  try {
    assert.equal(loadConfig(f).threads, 1);
    assert.equal(loadConfig(f, ['threads=2']).threads, 2, 'a count given is kept (and warned of by the run)');
  } finally {
    t.mock.restoreAll();
    syncBuiltinESMExports();
    if (saved !== undefined) process.env.ENTREL_THREADS = saved;
  }
  assert.equal(loadConfig(f).threads, Math.min(2, availableParallelism()));
});

test('a JSON syntax error names its line and column, not a character position', () => {
  const f = file('{\n  "data": {\n    "train": "a.json"\n    "dev": "b.json"\n  }\n}\n', 'syntax.json');
  assert.match(message(() => loadConfig(f)), new RegExp(`^${f}:4: invalid JSON \\(.*, column 5\\)$`));
  assert.doesNotMatch(message(() => loadConfig(f)), /position/);
});

test('a block given as something else, or an empty widths list, is named in the words of the other errors', () => {
  const f = file(minimal, 'blocks.json');
  assert.equal(message(() => loadConfig(f, ['data=3'])), `${f}: data: expected an object of settings, got 3 (from --set)`);
  assert.equal(message(() => loadConfig(f, ['mrt=true'])), `${f}: mrt: expected an object of settings, got true (from --set)`);
  assert.equal(message(() => loadConfig(f, ['model.charWidths=[]'])), `${f}: model.charWidths: expected a non-empty array of distinct positive integers, got [] (from --set)`);
  assert.match(message(() => loadConfig(f, ['model.foo=1'])), /model\.foo: unknown key/);
});

test('model settings a model directory would refuse are refused at config time, not after training', () => {
  // A distance one-hot of one bucket, and two convolutions of one width (one name in the weights file).
  const f = file(minimal, 'model-rules.json');
  assert.equal(message(() => loadConfig(f, ['model.maxDistance=1'])), `${f}: model.maxDistance: expected an integer ≥ 2, got 1 (from --set)`);
  assert.equal(message(() => loadConfig(f, ['model.charWidths=[3,3]'])), `${f}: model.charWidths: expected a non-empty array of distinct positive integers, got [3,3] (from --set)`);
  assert.equal(message(() => parseConfig({ ...minimal, model: { relWidths: [2, 2] } }, f)), `${f}: model.relWidths: expected a non-empty array of distinct positive integers, got [2,2]`);
});

test('a model block training accepts is one a model directory accepts, and the other way round', () => {
  const value = fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(0.5, 1, true, 'crf', 'viterbi', 'BIEOU', 'conll04', null), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }));
  const key = fc.constantFrom(...Object.keys(DEFAULT_MODEL_CONFIG), 'lstmHiden');
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (block) => {
      let trained: ModelConfig | undefined;
      try {
        trained = modelConfig(parseConfig({ ...minimal, model: block }, 'c.json'));
      } catch (e) {
        assert.ok(isUserError(e), String(e));
      }
      // What a model directory written by this training run holds: every setting.
      const saved = trained ?? { ...DEFAULT_MODEL_CONFIG, ...block };
      let loaded: ModelConfig | undefined;
      try {
        loaded = validateModelConfig(saved, 'm/config.json');
      } catch (e) {
        assert.ok(isUserError(e), String(e));
      }
      assert.equal(loaded !== undefined, trained !== undefined, JSON.stringify(block));
      if (loaded) assert.deepEqual(loaded, trained);
    }),
    { numRuns: 2000, seed: 7 },
  );
});

test('threads beyond 1024 are refused (libgomp aborted the process when asked for 10⁹)', () => {
  const f = file(minimal, 'many-threads.json');
  assert.equal(message(() => loadConfig(f, ['threads=1000000000'])), `${f}: threads: expected an integer from 1 to 1024, got 1000000000 (from --set)`);
  assert.equal(loadConfig(f, ['threads=1024']).threads, 1024);
});

test('data.ace05 reads LSTM-ER ACE05 brat output for training as --ace05 does (header lines are no sentences)', async () => {
  const { buildNNSetup } = await import('../../src/train/nn.js');
  const ace = join(import.meta.dirname, '..', 'fixtures', 'data', 'brat', 'ace05');
  const tiny = join(import.meta.dirname, 'fixtures', 'tiny.json');
  const sets = [`data.train=${JSON.stringify(ace)}`, `data.dev=${JSON.stringify(ace)}`, 'data.format="brat"'];
  const [plain, paper] = await Promise.all([['data.bratLayout="lines"'], ['data.ace05=true']].map((extra) => buildNNSetup(loadConfig(tiny, [...sets, ...extra]))));
  assert.equal(paper.dev.sentences.length, 2);
  assert.equal(plain.dev.sentences.length, 6);
  assert.ok(paper.dev.schema.relationTypes.find((r) => r.name === 'PER-SOC')?.symmetric, 'paper.dev.schema.relationTypes.find((r) => r.name === \'PER-SOC\')?.symmetric');
  assert.match(message(() => loadConfig(tiny, [...sets, 'data.ace05=1'])), /data\.ace05: expected true or false, got 1/);
});

test('--set KEY=null of an unknown or misspelt key is refused like any unknown key (review 18a finding 3)', () => {
  const f = file({ ...minimal, data: { ...minimal.data, format: 'nyt', devSplit: 'dev' } }, 'null-typo.json');
  assert.equal(message(() => loadConfig(f, ['data.devSlpit=null'])), `${f}: data.devSlpit: unknown key (did you mean "data.devSplit"?) (from --set)`);
  assert.match(message(() => loadConfig(f, ['nosuch=null'])), new RegExp(`^${f}: nosuch: unknown key \\(known keys: .*\\) \\(from --set\\)$`));
  assert.match(message(() => loadConfig(f, ['foo.bar=null'])), /: foo: unknown key \(known keys: .*\) \(from --set\)$/, 'an unknown block');
  assert.equal(message(() => loadConfig(f, ['epochs.x=null'])), `${f}: --set epochs.x: "epochs" is not an object`);
  assert.equal(message(() => loadConfig(f, ['dropout=null'])), `${f}: dropout: unknown key (did you mean "model.dropout"?) (from --set)`);
  // Known keys and blocks are removed as before, set in the file or not.
  assert.equal(loadConfig(f, ['data.devSplit=null']).data.devSplit, undefined);
  assert.equal(loadConfig(f, ['model.tokenizer=null', 'mrt=null', 'K=null', 'data.types=null']).mrt.K, loadConfig(f).mrt.K);
});

test('an unknown short key suggests the keys of that name in other blocks before a near top-level key (review 18a finding 8)', () => {
  const f = file(minimal, 'short-keys.json');
  assert.equal(message(() => loadConfig(f, ['lr=0.1'])), `${f}: lr: unknown key (did you mean "adadelta.lr" or "adam.lr"?) (from --set)`); // was "mrt"
  assert.equal(message(() => loadConfig(f, ['eps=1e-8'])), `${f}: eps: unknown key (did you mean "adadelta.eps" or "adam.eps"?) (from --set)`);
  assert.equal(message(() => loadConfig(f, ['adam.rho=0.9'])), `${f}: adam.rho: unknown key (did you mean "adadelta.rho"?) (from --set)`);
  assert.equal(message(() => loadConfig(f, ['model.lr=0.1'])), `${f}: model.lr: unknown key (did you mean "adadelta.lr" or "adam.lr"?) (from --set)`);
  assert.equal(message(() => loadConfig(f, ['epoch=2'])), `${f}: epoch: unknown key (did you mean "epochs"?) (from --set)`, 'a typo still gets its near key');
});

test('data files, MRT settings and threads the config file gives are refused naming its line (review 18a finding 7)', async () => {
  const { checkDataFiles, keysFromSet, refuseMrtSettings } = await import('../../src/train/config.js');
  const text = (data: string, more = '') => `{\n  "data": ${data},\n${more}  "epochs": 1\n}\n`;
  const exists = resolve(dir, 'exists.json');
  writeFileSync(exists, '[]');
  const f = file(text(`{"train": ["exists.json",\n    "nope.json"], "dev": "exists.json"}`), 'where.json');
  assert.equal(message(() => checkDataFiles(loadConfig(f), f)), `${f}:3: data.train[1]: no such file or directory: ${resolve(dir, 'nope.json')}`);
  const sets = [`data.train=${JSON.stringify(resolve(dir, 'gone.json'))}`];
  assert.equal(message(() => checkDataFiles(loadConfig(f, sets), f, keysFromSet(sets))), `${f}: data.train: no such file or directory: ${resolve(dir, 'gone.json')} (from --set)`, 'from --set: no line');
  const typed = file(text('{"train": "exists.json", "dev": "exists.json",\n    "types": "nope_types.json"}'), 'where-types.json');
  assert.equal(message(() => checkDataFiles(loadConfig(typed), typed)), `${typed}:3: data.types: no such file: ${resolve(dir, 'nope_types.json')}`);
  const mrt = file(text('{"train": "exists.json", "dev": "exists.json"}', '  "mrt": {"K": 3},\n'), 'where-mrt.json');
  assert.equal(message(() => refuseMrtSettings(mrt, [], 'reads it')), `${mrt}:3: mrt: only minimum risk training reads it`);
  const cores = availableParallelism();
  const many = file(text('{"train": "exists.json", "dev": "exists.json"}', `  "threads": ${4 * cores + 1},\n`), 'where-threads.json');
  assert.equal(message(() => loadConfig(many)), `${many}:3: threads: ${4 * cores + 1} is more than 4 times the ${cores} cores of this machine: the threads would only wait on each other, and training crawl; set threads to at most ${cores}`);
  assert.equal(loadConfig(many, [`threads=${cores}`]).threads, cores, '--set overrides it');
  assert.equal(loadConfig(file(text('{"train": "a", "dev": "b"}', `  "threads": ${4 * cores},\n`), 'threads-ok.json')).threads, 4 * cores, 'up to 4 times the cores');
  // The same limit as the run's own check (loop.ts checkThreads), which refuses a count from --set or ENTREL_THREADS.
  const { checkThreads } = await import('../../src/train/loop.js');
  assert.throws(() => checkThreads(4 * cores + 1, () => {}), /is more than 4 times/);
  assert.doesNotThrow(() => checkThreads(4 * cores, () => {}));
});

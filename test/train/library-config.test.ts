/**
 * Training from code with a config object (review 15d, 3): `trainNN` takes what a config file holds,
 * validated as loadConfig validates a file, and `parseConfig` is the package's own.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isUserError, parseConfig, trainNN, type TrainConfigInput } from '../../src/index.js';
import { tempDir } from '../temp-dir.js';
import { userError, userErrorAsync } from '../user-error.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const root = tempDir('entrel-library-config-');
const partial: TrainConfigInput = {
  data: { train: join(fixtures, 'tiny-train.json'), dev: join(fixtures, 'tiny-dev.json'), format: 'unified' },
  model: { wordDim: 8, charDim: 4, charFilters: 3, lstmHidden: 8, relFilters: 3, mlpHidden: 8, maxDistance: 10 },
  glove: false,
  epochs: 1,
  threads: 1,
};

test('a partial config object trains: the rest are the defaults', async () => {
  const before = JSON.stringify(partial);
  const r = await trainNN(partial, join(root, 'run'), { quiet: true });
  assert.equal(r.epochs, 1);
  assert.ok(existsSync(join(root, 'run', 'best', 'config.json')), 'best/ is written');
  assert.equal(JSON.stringify(partial), before, "the caller's object is not changed");
});

test('a bad or unknown key is a UserError naming it, before anything is written', async () => {
  const out = join(root, 'bad');
  const typo = await userErrorAsync(() => trainNN({ ...partial, epoch: 2 } as TrainConfigInput, out, { quiet: true }));
  assert.equal(typo.message, 'config: epoch: unknown key (did you mean "epochs"?)');
  const value = await userErrorAsync(() => trainNN({ ...partial, model: { dropout: 2 } }, out, { quiet: true }));
  assert.equal(value.message, 'config: model.dropout: expected a number in [0, 1), got 2');
  assert.equal(value.location.field, 'model.dropout');
  assert.ok(!existsSync(out), 'nothing written');
});

test('undefined, or no data block, is a UserError, not a TypeError', async () => {
  const none = await userErrorAsync(() => trainNN(undefined as unknown as TrainConfigInput, join(root, 'none'), { quiet: true }));
  assert.match(none.message, /^config: expected an object of settings \(what a config file holds: configs\/README\.md\), got undefined$/);
  assert.equal(userError(() => parseConfig({ epochs: 1 })).message, 'config: data: missing (required)');
  assert.ok(isUserError(userError(() => parseConfig(null, 'my-settings'))), 'null');
  assert.match(userError(() => parseConfig([], 'my-settings')).message, /^my-settings: expected an object of settings/);
});

test('parseConfig fills the defaults and resolves relative paths against the current directory', () => {
  const c = parseConfig({ data: { train: 'a.json', dev: 'b.json', types: 't_types.json' } });
  assert.equal(c.epochs, 100);
  assert.equal(c.model.dropout, 0.5);
  assert.equal(c.data.train, join(process.cwd(), 'a.json'));
  assert.equal(c.data.types, join(process.cwd(), 't_types.json'));
  assert.ok(c.threads >= 1, 'threads as loadConfig gives them');
  // Its result is taken as it is; an object spread from it is validated again (and is valid).
  assert.deepEqual(parseConfig({ ...c }), c);
});

test('a parsed config changed since is checked again, and an mrt block, which trainNN would ignore, is refused', async () => {
  const c = parseConfig(partial);
  c.epochs = -3;
  const changed = await userErrorAsync(() => trainNN(c, join(root, 'changed'), { quiet: true }));
  assert.equal(changed.location.field, 'epochs', changed.message);
  assert.ok(!existsSync(join(root, 'changed')), 'nothing written');
  const mrt = await userErrorAsync(() => trainNN({ ...partial, mrt: { K: 5, alpha: 0.5 } }, join(root, 'mrt'), { quiet: true }));
  assert.equal(mrt.message, 'config: mrt: only minimum risk training reads it (entrel train --init DIR), not trainNN or continueNN: remove it');
  assert.equal(mrt.location.field, 'mrt');
  // A parsed config holds the mrt block's defaults: no refusal for those.
  const r = await trainNN(parseConfig(partial), join(root, 'parsed'), { quiet: true });
  assert.equal(r.epochs, 1);
});

/**
 * A model trained on data without relations (an NER-only corpus, select=entity+relation) has no relation
 * type: calibrating it fits the entity map alone, and its card says it finds no relations.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatModelCard } from '../../src/cli/model-card-text.js';
import { readModelCard } from '../../src/extract/model-card.js';
import { loadModelDir } from '../../src/model/io.js';
import { calibrateModel } from '../../src/train/calibrate.js';
import { loadConfig } from '../../src/train/config.js';
import { trainNN } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const root = tempDir('entrel-entities-only-');
/** A fixture without its relations. */
function entitiesOnly(name: string): string {
  const records = JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as { relations: unknown[] }[];
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(records.map((r) => ({ ...r, relations: [] }))));
  return file;
}
const [train, dev] = [entitiesOnly('tiny-train.json'), entitiesOnly('tiny-dev.json')];
const best = join(root, 'run', 'best');
const trained = trainNN(loadConfig(join(fixtures, 'tiny.json'), [`data.train=${train}`, `data.dev=${dev}`, 'select=entity+relation', 'epochs=10']), join(root, 'run'), { quiet: true, onWarning: () => {} });

test('calibrate fits an entities-only model\'s entity scores and says the relation map is left out', async () => {
  await trained;
  assert.equal(loadModelDir(best).schema.relationTypes.length, 0);
  const warnings: string[] = [];
  const r = await calibrateModel(best, dev, join(root, 'calibrated'), { format: 'unified', onWarning: (m) => warnings.push(m) });
  assert.ok(r.before.entities.items > 0, 'entities are fitted');
  assert.deepEqual(r.maps.relations, { x: [0, 1], y: [0, 1] }, 'the identity');
  assert.deepEqual(warnings, [`${dev}: the model has no relation types, so it has no relation scores to calibrate: that map is left as the identity`]);
});

test('the model card of a model without relation types says "relations none"', async () => {
  await trained;
  assert.match(formatModelCard(readModelCard(best)), /^relations +none$/m);
});

test('entrel calibrate on an entities-only model: the one warning about the relation map, not "only 0 predicted relations"', async () => {
  await trained;
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const script = `import {run} from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'calibrate', '--model', best, '--data', dev, '--format', 'unified', '--out', join(root, 'calibrated-cli')], { ...CHILD_LIMIT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /the model has no relation types/);
  assert.doesNotMatch(r.stderr, /predicted relations to fit on/);
});

/** `--paper-compat` says what the authors' evaluator changes on the gold side (reference spec §7.1.11). */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { documentFromTokens } from '../../src/data/corpus.js';
import { paperCompatChanges } from '../../src/eval/index.js';
import { entrelFromSource as entrel } from '../cli/processes.js';
import { tempDir } from '../temp-dir.js';

// ORG "New York Times" listed before GPE "New York": the GPE's tags are written over the ORG's, which
// decode to GPE "New York" and ORG "Times"; the relation on the ORG, and the one between the two
// overlapping entities, are skipped.
const tokens = ['He', 'works', 'for', 'the', 'New', 'York', 'Times'];
const record = { tokens, entities: [[0, 1, 'PER'], [4, 7, 'ORG'], [4, 6, 'GPE']], relations: [[0, 1, 4, 7, 'Work_For'], [4, 7, 4, 6, 'Based_In']] };

test('paperCompatChanges counts the gold entities lost and added by overwriting, and the relations skipped', () => {
  const doc = documentFromTokens('d', [{
    tokens,
    entities: [{ id: 'P', type: 'PER', start: 0, end: 1 }, { id: 'O', type: 'ORG', start: 4, end: 7 }, { id: 'G', type: 'GPE', start: 4, end: 6 }],
    relations: [{ type: 'Work_For', head: 'P', tail: 'O' }, { type: 'Based_In', head: 'O', tail: 'G' }],
  }]);
  const c = paperCompatChanges([doc]);
  assert.deepEqual([c.entitiesLost, c.entitiesAdded, c.relationsSkipped], [1, 1, 2]);
  const [lost, added] = ['paper-compat-gold-entity-lost', 'paper-compat-gold-entity-added'].map((code) => c.diagnostics.summary().find((w) => w.code === code)!.examples[0]);
  assert.match(lost, /document "d", sentence 0: ORG "New York Times" \[4, 7\)/);
  assert.match(added, /ORG "Times" \[6, 7\)/);
  const plain = documentFromTokens('e', [{ tokens, entities: [{ id: 'P', type: 'PER', start: 0, end: 1 }], relations: [] }]);
  assert.equal(paperCompatChanges([plain]).diagnostics.count(), 0, 'nothing overlaps: nothing changes');
});

test('evaluate and compare --paper-compat warn about the gold file and give the counts in JSON', () => {
  const dir = tempDir('entrel-paper-compat-');
  const gold = join(dir, 'gold.json');
  writeFileSync(gold, JSON.stringify([record]));
  const r = entrel('evaluate', '--gold', gold, '--pred', gold, '--paper-compat', '--json');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).paperCompatGold, { entitiesLost: 1, entitiesAdded: 1, relationsSkipped: 2 });
  assert.match(r.err, /gold\.json: warning: paper-compat-gold-relation-skipped ×2/);
  assert.doesNotMatch(entrel('evaluate', '--gold', gold, '--pred', gold).err, /paper-compat/);
  const c = entrel('compare', '--gold', gold, gold, gold, '--paper-compat', '--json', '--trials', '10', '--samples', '10');
  assert.equal(c.code, 0, c.err);
  assert.equal(JSON.parse(c.out).paperCompatGold.entitiesLost, 1);
  assert.match(c.err, /paper-compat-gold-entity-lost ×1/);
});

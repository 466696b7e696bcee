/** brat events: a trigger is a `T` line too, but no entity (review 15c: `joined` was read as a `Join` entity). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConf, readConfEventTypes } from '../../src/data/formats/brat-conf.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { shape, tmp } from './helpers.js';

const CONF = [
  '[entities]', 'Person', 'Org', 'Loc', 'Both', '',
  '[relations]', 'Work_For\tArg1:Person, Arg2:Org', 'Located_In\tArg1:Org|Loc, Arg2:Loc', '',
  // brat's event syntax: arguments after the type, optional (`?`) and alternative (`|`) ones, groups and a hierarchy
  '[events]', 'Join\tAgent:Person, Place?:Loc', '!Life', '\tBe-born\tPerson-Arg:Person, Place-Arg?:Org|Loc', 'Both\tAgent:Person', '',
  '[attributes]', 'Negated\tArg:<EVENT>', '',
].join('\n');

/** Mary joined Acme in Boston. Born in Oslo. — `joined` the trigger of E1 (named before its T line), `Born` a Be-born with no E line. */
function project(conf: boolean): string {
  const dir = join(tmp(), conf ? 'with-conf' : 'no-conf');
  mkdirSync(dir);
  if (conf) writeFileSync(join(dir, 'annotation.conf'), CONF);
  writeFileSync(join(dir, 'a.txt'), 'Mary joined Acme in Boston .\nBorn in Oslo .\n');
  writeFileSync(join(dir, 'a.ann'), [
    'T1\tPerson 0 4\tMary',
    'E1\tJoin:T10 Agent:T1 Place:T3',
    'T2\tOrg 12 16\tAcme',
    'T3\tLoc 20 26\tBoston',
    'T10\tJoin 5 11\tjoined',
    'T11\tBe-born 29 33\tBorn',
    'T12\tLoc 37 41\tOslo',
    'R1\tWork_For Arg1:T1 Arg2:T2',
    'R2\tLocated_In Arg1:T10 Arg2:T3', // to a trigger
    'R3\tWork_For Arg1:T1 Arg2:E1', // to an event (brat's relations may join events)
    'R4\tLocated_In Arg1:T11 Arg2:T12',
    'A1\tNegated E1',
    '*\tEquiv T10 T1', // names a trigger: dropped as every equivalence is, not refused
    '',
  ].join('\n'));
  return dir;
}

test('the types under [events] are read with their argument syntax, and are no entity types', async () => {
  const dir = project(true);
  const conf = join(dir, 'annotation.conf');
  // Both is declared as an entity type too: its T lines stay entities unless an E line names them.
  assert.deepEqual([...(await readConfEventTypes(conf))], ['Join', 'Be-born']);
  assert.deepEqual((await readConf(conf))?.entityTypes, ['Person', 'Org', 'Loc', 'Both']);
  assert.deepEqual([...(await readConfEventTypes(join(dir, 'none.conf')))], []);
});

test('an event trigger is dropped with its event and counted, and so is a relation to either; with a conf, a T line of an event type is a trigger', async () => {
  const dir = project(true);
  const c = await loadCorpus(dir);
  assert.deepEqual(shape(c.documents[0]).map((s) => [s.entities, s.relations]), [
    [['0:1:Person', '2:3:Org', '4:5:Loc'], ['0:1:Person-Work_For->2:3:Org']],
    [['2:3:Loc'], []],
  ]);
  // no "Join" among the schema's entity types, nor a warning that it is undeclared (it is declared, under [events])
  assert.deepEqual(c.schema.entityTypes, ['Person', 'Org', 'Loc', 'Both']);
  assert.equal(c.diagnostics.count('type-not-declared'), 0, c.diagnostics.format().join('\n'));
  const w = (code: string) => c.diagnostics.summary().find((x) => x.code === code);
  const ann = join(dir, 'a.ann');
  assert.deepEqual(w('brat-event-trigger-dropped')?.examples, [`${ann}:5 T10`, `${ann}:6 T11`]);
  assert.deepEqual(w('relation-dropped-with-entity')?.examples, [`${ann}:9 R2`, `${ann}:10 R3`, `${ann}:11 R4`]);
  assert.equal(c.diagnostics.count('brat-event-dropped'), 1);
  assert.equal(c.diagnostics.count('brat-equivalence-dropped'), 1);
});

test('without a conf, the T lines an E line names as its trigger are dropped; others are entities', async () => {
  const dir = project(false);
  const c = await loadCorpus(dir);
  assert.deepEqual(shape(c.documents[0]).map((s) => s.entities), [['0:1:Person', '2:3:Org', '4:5:Loc'], ['0:1:Be-born', '2:3:Loc']]);
  assert.deepEqual(c.diagnostics.summary().find((x) => x.code === 'brat-event-trigger-dropped')?.examples, [`${join(dir, 'a.ann')}:5 T10`]);
  assert.equal(c.diagnostics.count('relation-dropped-with-entity'), 2); // R2 (to T10), R3 (to E1); R4 is kept
  // An event that is not an entity is still an unknown argument when no line declares it.
  writeFileSync(join(dir, 'a.ann'), 'T1\tPerson 0 4\tMary\nR1\tWork_For Arg1:T1 Arg2:E7\n');
  await assert.rejects(loadCorpus(dir), /a\.ann:2: R1\.Arg2: unknown relation argument "E7"/);
});

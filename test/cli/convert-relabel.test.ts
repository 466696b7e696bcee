/**
 * `entrel convert --rename-type OLD=NEW --drop-type T`, run in this process on hand-made corpora: the
 * written schema (brat annotation.conf, jsonl `_types.json`), what stderr reports, the bundled model's
 * labels reached, and the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/data/formats/index.js';
import type { LabelSchema } from '../../src/data/corpus.js';
import { ROOT, shape, tmp } from '../data/helpers.js';
import { entrel } from './in-process.js';

/** A brat pair: each entity `[id, type, surface, nth occurrence]` located in `text`. */
function bratPair(dir: string, name: string, text: string, entities: [string, string, string, number?][], relations: string[]): void {
  const lines = entities.map(([id, type, surface, nth = 0]) => {
    let at = -1;
    for (let k = 0; k <= nth; k++) at = text.indexOf(surface, at + 1);
    assert.ok(at >= 0, surface);
    return `${id}\t${type} ${at} ${at + surface.length}\t${surface}`;
  });
  writeFileSync(join(dir, `${name}.txt`), text);
  writeFileSync(join(dir, `${name}.ann`), [...lines, ...relations].join('\n') + '\n');
}

/** A brat project as a user's could be: its own scheme (PER/ORG/LOC/MISC, lower-case relations, a symmetric one). */
function project(): string {
  const dir = join(tmp(), 'project');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'annotation.conf'),
    ['[entities]', 'PER', 'ORG', 'LOC', 'MISC', '', '[relations]', 'works_for\tArg1:PER, Arg2:ORG', 'based_in\tArg1:ORG, Arg2:LOC', 'knows\tArg1:PER, Arg2:PER, <REL-TYPE>:symmetric', 'fan_of\tArg1:PER, Arg2:MISC', '', '[events]', '', '[attributes]', ''].join('\n'),
  );
  bratPair(dir, 'a', 'John Smith works for Acme Corp in Boston .\nMary knows John and likes Jazz .\n',
    [['T1', 'PER', 'John Smith'], ['T2', 'ORG', 'Acme Corp'], ['T3', 'LOC', 'Boston'], ['T4', 'PER', 'Mary'], ['T5', 'PER', 'John', 1], ['T6', 'MISC', 'Jazz']],
    ['R1\tworks_for Arg1:T1 Arg2:T2', 'R2\tbased_in Arg1:T2 Arg2:T3', 'R3\tknows Arg1:T4 Arg2:T5', 'R4\tfan_of Arg1:T4 Arg2:T6']);
  bratPair(dir, 'b', 'Ann Lee works for Initech .\n', [['T1', 'PER', 'Ann Lee'], ['T2', 'ORG', 'Initech']], ['R1\tworks_for Arg1:T1 Arg2:T2']);
  return dir;
}

const types = (s: LabelSchema) => ({ entities: s.entityTypes, relations: s.relationTypes.map((r) => (r.symmetric ? `${r.name} (symmetric)` : r.name)) });

test('brat round trip: annotation.conf and the .ann files hold the new names, in the schema order; stderr reports what changed', async () => {
  const input = project();
  const out = join(tmp(), 'renamed');
  const r = await entrel('convert', '--to', 'brat', input, out,
    '--rename-type', 'PER=Peop', '--rename-type', 'ORG=Org', '--rename-type', 'LOC=Loc', '--rename-type', 'works_for=Work_For',
    '--rename-type', 'based_in=OrgBased_In', '--drop-type', 'MISC');
  assert.equal(r.code, 0, r.err);
  const conf = readFileSync(join(out, 'annotation.conf'), 'utf8');
  const section = (name: string) => conf.split(`[${name}]\n`)[1].split('\n\n')[0].split('\n');
  assert.deepEqual(section('entities'), ['Peop', 'Org', 'Loc']);
  assert.deepEqual(section('relations'), [
    'Work_For\tArg1:<ENTITY>, Arg2:<ENTITY>',
    'OrgBased_In\tArg1:<ENTITY>, Arg2:<ENTITY>',
    'knows\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric',
    'fan_of\tArg1:<ENTITY>, Arg2:<ENTITY>', // dropping MISC dropped its relations, not their type
  ]);
  assert.doesNotMatch(readFileSync(join(out, 'a.ann'), 'utf8'), /\b(PER|ORG|LOC|MISC|works_for|based_in|fan_of)\b/);
  assert.match(readFileSync(join(out, 'a.ann'), 'utf8'), /^R1\tWork_For Arg1:T1 Arg2:T2$/m);

  const back = await loadCorpus(out);
  assert.deepEqual(types(back.schema), { entities: ['Peop', 'Org', 'Loc'], relations: ['Work_For', 'OrgBased_In', 'knows (symmetric)', 'fan_of'] });
  assert.deepEqual(back.documents.map(shape), [
    [
      { tokens: ['John', 'Smith', 'works', 'for', 'Acme', 'Corp', 'in', 'Boston', '.'], entities: ['0:2:Peop', '4:6:Org', '7:8:Loc'], relations: ['0:2:Peop-Work_For->4:6:Org', '4:6:Org-OrgBased_In->7:8:Loc'] },
      { tokens: ['Mary', 'knows', 'John', 'and', 'likes', 'Jazz', '.'], entities: ['0:1:Peop', '2:3:Peop'], relations: ['0:1:Peop-knows->2:3:Peop'] },
    ],
    [{ tokens: ['Ann', 'Lee', 'works', 'for', 'Initech', '.'], entities: ['0:2:Peop', '4:5:Org'], relations: ['0:2:Peop-Work_For->4:5:Org'] }],
  ]);

  // The drops are counted warnings about the output; the renames and drops are summed up.
  assert.match(r.err, new RegExp(`^entrel: ${out}: warning: entity-type-dropped ×1 \\(e\\.g\\. document "a", sentence 1: MISC T6 "Jazz"\\)$`, 'm'));
  assert.match(r.err, new RegExp(`^entrel: ${out}: warning: relation-dropped-with-entity ×1 \\(e\\.g\\. document "a", sentence 1: fan_of T4→T6 \\("Mary" → "Jazz"\\)\\)$`, 'm'));
  assert.match(r.err, /^entrel: renamed 7 entities and 3 relations: entity type "PER" → "Peop" ×4, entity type "ORG" → "Org" ×2, entity type "LOC" → "Loc" ×1, relation type "works_for" → "Work_For" ×2, relation type "based_in" → "OrgBased_In" ×1$/m);
  assert.match(r.err, /^entrel: dropped 1 entity and 1 relation: entity type "MISC" ×1, relations with a dropped entity ×1$/m);
  assert.match(r.err, /wrote 2 documents \(3 sentences\)/);
});

test('a corpus in its own scheme reaches the bundled model\'s labels: PER/ORG/works_for become Peop/Org/Work_For', async () => {
  const dir = tmp();
  const input = join(dir, 'mine.jsonl');
  const sentence = (text: string, a: [number, number], b: [number, number], relation: string) => {
    const tokens = [...text.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length]);
    return { tokens, entities: [{ id: 'T1', type: 'PER', start: a[0], end: a[1] }, { id: 'T2', type: 'ORG', start: b[0], end: b[1] }], relations: [{ type: relation, head: 'T1', tail: 'T2' }] };
  };
  const docs = [
    { id: 'd1', text: 'Mary Smith works for Acme Corp .', sentences: [sentence('Mary Smith works for Acme Corp .', [0, 2], [4, 6], 'works_for')] },
    { id: 'd2', text: 'Bob joined Initech .', sentences: [sentence('Bob joined Initech .', [0, 1], [2, 3], 'works_for')] },
  ];
  writeFileSync(input, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(join(dir, 'mine_types.json'), JSON.stringify({ entities: { PER: {}, ORG: {} }, relations: { works_for: { symmetric: false } } }));

  const model: LabelSchema = JSON.parse(readFileSync(join(ROOT, 'models', 'conll04', 'schema.json'), 'utf8'));
  // What `train --init models/conll04 --local` refuses (train/nn.ts): a type of the file's schema the model does not have.
  const unknown = (s: LabelSchema) => [
    ...s.entityTypes.filter((t) => !model.entityTypes.includes(t)),
    ...s.relationTypes.map((r) => r.name).filter((t) => !model.relationTypes.some((m) => m.name === t)),
  ];
  assert.deepEqual(unknown((await loadCorpus(input)).schema), ['PER', 'ORG', 'works_for']);

  const out = join(dir, 'for-conll04.jsonl');
  const r = await entrel('convert', '--to', 'jsonl', input, out, '--rename-type', 'PER=Peop', '--rename-type', 'ORG=Org', '--rename-type', 'works_for=Work_For');
  assert.equal(r.code, 0, r.err);
  const converted = await loadCorpus(out);
  assert.deepEqual(unknown(converted.schema), []);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'for-conll04_types.json'), 'utf8')), {
    entities: { Peop: { short: 'Peop', verbose: 'Peop' }, Org: { short: 'Org', verbose: 'Org' } },
    relations: { Work_For: { short: 'Work_For', verbose: 'Work_For', symmetric: false } },
  });
  assert.deepEqual(converted.documents.map((d) => d.sentences[0].relations), [[{ type: 'Work_For', head: 'T1', tail: 'T2' }], [{ type: 'Work_For', head: 'T1', tail: 'T2' }]]);
  assert.equal(converted.diagnostics.count(), 0);
  assert.match(r.err, /^entrel: renamed 4 entities and 2 relations: /m);
});

test('a merge that makes two entities or two relations the same keeps one, with a counted warning; jsonl _types.json keeps the symmetric flag', async () => {
  const dir = tmp();
  const input = join(dir, 'two-schemes.jsonl');
  const text = 'Ann met Bob in Oslo .';
  const tokens = [...text.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length]);
  writeFileSync(input, JSON.stringify({
    id: 'x', text, sentences: [{
      tokens,
      entities: [{ id: 'E1', type: 'PER', start: 0, end: 1 }, { id: 'E2', type: 'Person', start: 0, end: 1 }, { id: 'E3', type: 'PER', start: 2, end: 3 }],
      relations: [{ type: 'met', head: 'E1', tail: 'E3' }, { type: 'meets', head: 'E3', tail: 'E2' }],
    }],
  }) + '\n');
  writeFileSync(join(dir, 'two-schemes_types.json'), JSON.stringify({ entities: { PER: {}, Person: {} }, relations: { met: { symmetric: true }, meets: { symmetric: true } } }));
  const out = join(dir, 'one-scheme.jsonl');
  const r = await entrel('convert', '--to', 'jsonl', input, out, '--rename-type', 'Person=PER', '--rename-type', 'meets=met');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`^entrel: ${out}: warning: duplicate-entity-merged ×1 \\(e\\.g\\. document "x", sentence 0: Person E2 "Ann" merged into E1 \\(PER\\)\\)$`, 'm'));
  assert.match(r.err, new RegExp(`^entrel: ${out}: warning: duplicate-relation-dropped ×1 `, 'm'));
  assert.match(r.err, /^entrel: kept once what the renames made the same: 1 entity merged into another, 1 relation dropped$/m);
  const back = await loadCorpus(out);
  assert.deepEqual(back.documents[0].sentences[0].entities.map((e) => `${e.id}:${e.type}`), ['E1:PER', 'E3:PER']);
  assert.deepEqual(back.documents[0].sentences[0].relations, [{ type: 'met', head: 'E1', tail: 'E3' }]);
  assert.deepEqual(types(back.schema), { entities: ['PER'], relations: ['met (symmetric)'] });
});

test('the relabelling flags\' mistakes are one-line errors naming the flag and value, and nothing is written', async () => {
  const input = project();
  const out = join(tmp(), 'never');
  const known = '(entity types: PER, ORG, LOC, MISC; relation types: works_for, based_in, knows, fan_of)';
  const cases: [string[], string][] = [
    [['--rename-type', 'PER'], '--rename-type "PER": expected OLD=NEW (e.g. PER=Peop; \\= for an = in a type name)'],
    [['--rename-type', '=Peop'], '--rename-type "=Peop": the old type name is empty (expected OLD=NEW, e.g. PER=Peop)'],
    [['--rename-type', 'PER='], '--rename-type "PER=": the new type name is empty (expected OLD=NEW, e.g. PER=Peop)'],
    [['--rename-type', 'PER=PER'], '--rename-type "PER=PER": renames "PER" to itself'],
    [['--rename-type', 'PER=Peop', '--rename-type', 'PER=Person'], '--rename-type "PER=Person": "PER" is already renamed to "Peop" by --rename-type "PER=Peop"'],
    [['--rename-type', 'MISC=Other', '--drop-type', 'MISC'], '--drop-type "MISC": "MISC" is also renamed, by --rename-type "MISC=Other"; drop it or rename it, not both'],
    [['--rename-type', 'Person=Peop'], `--rename-type "Person=Peop": the input has no entity or relation type "Person" ${known}`],
    [['--drop-type', 'Misc'], `--drop-type "Misc": the input has no entity or relation type "Misc" ${known}`],
    [['--rename-type', 'works_for=knows'], '--rename-type "works_for=knows": relation types "works_for" (not symmetric) and "knows" (symmetric) would merge into "knows", which cannot be both; rename them apart or make their symmetric flags agree'],
    [['--drop-type', ''], '--drop-type is empty (an unset shell variable?)'],
  ];
  for (const [flags, message] of cases) {
    const r = await entrel('convert', '--to', 'brat', input, out, ...flags);
    assert.equal(r.code, 1, flags.join(' '));
    assert.equal(r.err, `entrel: ${message}\n`, flags.join(' '));
    assert.equal(existsSync(out), false, flags.join(' '));
  }
  // The mistakes the flags alone show are found before the input is read: a missing input is not reached.
  for (const [flags, message] of cases.slice(0, 6)) {
    const r = await entrel('convert', '--to', 'brat', join(tmp(), 'absent'), out, ...flags);
    assert.equal(r.err, `entrel: ${message}\n`, flags.join(' '));
  }
});

test('without the flags convert relabels nothing and says nothing about it', async () => {
  const out = join(tmp(), 'plain');
  const r = await entrel('convert', '--to', 'brat', project(), out);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /renamed|dropped/);
  assert.deepEqual(types((await loadCorpus(out)).schema), { entities: ['PER', 'ORG', 'LOC', 'MISC'], relations: ['works_for', 'based_in', 'knows (symmetric)', 'fan_of'] });
});

/** A label typo is warned about (review 15c finding 9): a rare type a small edit away from a frequent one. */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus, readCorpus } from '../../src/data/formats/index.js';
import { editDistance } from '../../src/data/edit-distance.js';
import { nearTypes, TYPE_TYPO } from '../../src/data/type-typos.js';
import { entrel } from '../cli/in-process.js';
import { entrelFromSource } from '../cli/processes.js';
import { tempDir } from '../temp-dir.js';

const shared = fileURLToPath(new URL('../../../shared/data', import.meta.url));
const near = (counts: Record<string, number>) => nearTypes(new Map(Object.entries(counts))).map((t) => `${t.type}→${t.near}`);

/** A unified file: `n` sentences "Ann met Bob" (Person, Person, Meet), then one whose types are `typo`'s. */
function unifiedFile(n: number, typo: { entity?: string; relation?: string }): string {
  const sentence = (ent: string, rel: string) => ({ tokens: ['Ann', 'met', 'Bob'], entities: [[0, 1, ent], [2, 3, 'Person']], relations: [[0, 1, 2, 3, rel]] });
  const records = [...Array.from({ length: n }, () => sentence('Person', 'Meet')), sentence(typo.entity ?? 'Person', typo.relation ?? 'Meet')];
  const file = join(tempDir('entrel-typos-'), 'data.json');
  writeFileSync(file, JSON.stringify(records));
  return file;
}

describe('label typos', () => {
  it('finds a rare type within 1 edit of a far more frequent one (2 from 6 characters), case aside', () => {
    assert.deepEqual(near({ Person: 412, Perosn: 1, Org: 50 }), ['Perosn→Person'], 'a swap of neighbours is one edit');
    assert.deepEqual(near({ PERSON: 30, PERSN: 2, Persons: 1 }), ['PERSN→PERSON', 'Persons→PERSON']);
    assert.deepEqual(near({ Person: 30, person: 1 }), ['person→Person'], 'case alone');
    assert.deepEqual(near({ Organization: 40, Orgnaisation: 1, Orgnaisatoin: 1 }), ['Orgnaisation→Organization'], '2 edits at 6 characters and more, not 3');
    assert.deepEqual(near({ Loc: 40, Lox: 1, Lxx: 1 }), ['Lox→Loc'], '1 edit under 6 characters, not 2');
    assert.deepEqual(near({ Peop: 40, Per: 1 }), [], 'Per is 2 edits from Peop');
    assert.deepEqual(near({ '/people/person/place_lived': 40, '/people/person/place_livd': 1 }), ['/people/person/place_livd→/people/person/place_lived']);
  });

  it('only where the type is rare: at most 2 mentions, and at most a tenth of the other', () => {
    assert.deepEqual(near({ Person: 412, Perosn: 3 }), [], '3 mentions');
    assert.deepEqual(near({ Person: 19, Perosn: 2 }), [], '2 of 19');
    assert.deepEqual(near({ Person: 20, Perosn: 2 }), ['Perosn→Person'], '2 of 20');
    assert.deepEqual(near({ Person: 9, Perosn: 1 }), [], '1 of 9');
    assert.deepEqual(near({ Loc: 1, Lox: 1 }), [], 'neither is the frequent one');
    const both = nearTypes(new Map(Object.entries({ Lox: 1, Loc: 20, Lo: 50 })));
    assert.deepEqual(both, [{ type: 'Lox', count: 1, near: 'Lo', nearCount: 50 }], 'the most frequent of the close ones');
  });

  it('measures Damerau–Levenshtein distance in code points, and stops past a bound', () => {
    const d = (a: string, b: string, max?: number) => editDistance([...a], [...b], max);
    assert.deepEqual([d('perosn', 'person'), d('kitten', 'sitting'), d('', 'abc'), d('𝒜b', 'b𝒜'), d('/a/x', '/a/y')], [1, 3, 3, 1, 1]);
    assert.equal(d('abcdef', 'uvwxyz', 2), 3, 'past the bound: the bound + 1');
  });

  it('warns as the file is read, wherever reader warnings show: entity and relation types', async () => {
    const file = unifiedFile(12, { entity: 'Perosn', relation: 'Meeet' });
    const diagnostics = new Diagnostics();
    for await (const _ of readCorpus(file, { diagnostics }));
    assert.deepEqual(diagnostics.summary().find((w) => w.code === TYPE_TYPO), {
      code: 'type-name-near-another',
      count: 2,
      examples: ['entity type "Perosn" (1 mention) is close to "Person" (25): a typo?', 'relation type "Meeet" (1 mention) is close to "Meet" (12): a typo?'],
    });
    assert.equal((await loadCorpus(file)).diagnostics.count(TYPE_TYPO), 2, 'loadCorpus (train, evaluate, convert) too');
    const stats = entrelFromSource('stats', file);
    assert.equal(stats.code, 0, stats.err);
    assert.match(stats.out, /type-name-near-another ×2 \(e\.g\. entity type "Perosn" \(1 mention\) is close to "Person" \(25\): a typo\?/);
    const convert = await entrel('convert', '--to', 'jsonl', file, join(tempDir('entrel-typos-'), 'out.jsonl'));
    assert.equal(convert.code, 0, convert.err);
    assert.match(convert.err, /warning: type-name-near-another ×2 \(e\.g\. entity type "Perosn"/);
    assert.equal((await loadCorpus(unifiedFile(12, {}))).diagnostics.count(TYPE_TYPO), 0, 'no typo, no warning');
  });

  it('says nothing on the real corpora: CoNLL04 in every format, SciERC, NYT', async () => {
    const files = [
      ...['unified_two_are_better', 'spert', 'multihead'].flatMap((d) => readdirSync(join(shared, 'conll04', d)).filter((f) => /\.(json|txt)$/.test(f) && !f.endsWith('_types.json')).map((f) => join(shared, 'conll04', d, f))),
      ...['dygie', 'tanl_spert'].flatMap((d) => readdirSync(join(shared, 'scierc', d)).filter((f) => !f.endsWith('_types.json')).map((f) => join(shared, 'scierc', d, f))),
      join(shared, 'nyt_cotype', 'test.json'),
    ];
    assert.equal(files.length, 17);
    for (const file of files) assert.equal((await loadCorpus(file)).diagnostics.count(TYPE_TYPO), 0, file);
  });

  it('says nothing of two types the schema declares (review 18a finding 2): annotation.conf, a types file, --types', async () => {
    assert.deepEqual(nearTypes(new Map([['DNA', 24], ['RNA', 1]]), new Set(['DNA', 'RNA'])), [], 'both declared');
    assert.deepEqual(near({ DNA: 24, RNA: 1 }), ['RNA→DNA'], 'declared by nothing');
    assert.equal(nearTypes(new Map([['DNA', 24], ['RNA', 1]]), new Set(['DNA'])).length, 1, 'one declared only: still a likely typo');
    // GENIA's DNA and RNA as brat, 24 to 1, with and without the conf that declares them
    const bio = join(tempDir('entrel-typos-'), 'bio');
    mkdirSync(bio);
    for (let i = 0; i < 12; i++) {
      writeFileSync(join(bio, `d${i}.txt`), 'DNA binds DNA .\n');
      writeFileSync(join(bio, `d${i}.ann`), 'T1\tDNA 0 3\tDNA\nT2\tDNA 10 13\tDNA\n');
    }
    writeFileSync(join(bio, 'd12.txt'), 'RNA here .\n');
    writeFileSync(join(bio, 'd12.ann'), 'T1\tRNA 0 3\tRNA\n');
    assert.equal((await loadCorpus(bio)).diagnostics.count(TYPE_TYPO), 1, 'without a conf, RNA may be a typo');
    writeFileSync(join(bio, 'annotation.conf'), '[entities]\nDNA\nRNA\n[relations]\n[events]\n[attributes]\n');
    const read = new Diagnostics();
    for await (const _ of readCorpus(bio, { diagnostics: read }));
    assert.equal(read.count(TYPE_TYPO), 0, read.format().join('\n'));
    assert.equal((await loadCorpus(bio)).diagnostics.count(TYPE_TYPO), 0);
    const stats = entrelFromSource('stats', bio);
    assert.equal(stats.code, 0, stats.err);
    assert.doesNotMatch(stats.out + stats.err, /type-name-near-another/);
    // a types file (--types, data.types, or the one beside the data) declaring both; one declaring only Person
    const file = unifiedFile(12, { entity: 'Perosn', relation: 'Meeet' });
    const types = (entities: string[], relations: string[]) => {
      const f = join(tempDir('entrel-typos-'), 'types.json');
      writeFileSync(f, JSON.stringify({ entities: Object.fromEntries(entities.map((t) => [t, {}])), relations: Object.fromEntries(relations.map((t) => [t, {}])) }));
      return f;
    };
    const both = await loadCorpus(file, { typesFile: types(['Person', 'Perosn'], ['Meet', 'Meeet']) });
    assert.equal(both.diagnostics.count(TYPE_TYPO), 0, both.diagnostics.format().join('\n'));
    const some = await loadCorpus(file, { typesFile: types(['Person'], ['Meet', 'Meeet']) });
    assert.deepEqual(some.diagnostics.summary().find((w) => w.code === TYPE_TYPO)?.examples, ['entity type "Perosn" (1 mention) is close to "Person" (25): a typo?']);
    assert.equal(some.diagnostics.count('type-not-declared'), 1, 'and named as not declared');
    // predictions written with their types file (convert --to jsonl writes data_types.json beside data.jsonl)
    const written = join(tempDir('entrel-typos-'), 'data.jsonl');
    const convert = await entrel('convert', '--to', 'jsonl', file, written);
    assert.equal(convert.code, 0, convert.err);
    assert.equal((await loadCorpus(written)).diagnostics.count(TYPE_TYPO), 0, 'the types file beside the data');
  });
});

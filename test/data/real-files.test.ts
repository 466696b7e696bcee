/** Every reader on the real benchmark files in ../shared/data, with the published counts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { detectFormat, loadCorpus } from '../../src/data/formats/index.js';
import { NYT_DEV_IDS } from '../../src/data/formats/nyt.js';
import { DATA, collect, counts, shape } from './helpers.js';

const conll = (f: string) => join(DATA, 'conll04', f);

test('detectFormat recognises every shipped file', async () => {
  const cases: [string, string][] = [
    [conll('unified_two_are_better/test.CoNLL04.json'), 'unified'],
    [conll('spert/conll04_test.json'), 'spert-tags'],
    [conll('multihead/test.txt'), 'multihead'],
    [join(DATA, 'scierc/tanl_spert/scierc_joint_er_test.json'), 'spert'],
    [join(DATA, 'scierc/dygie/test.json'), 'dygie'],
    [join(DATA, 'nyt_cotype/test.json'), 'nyt'],
  ];
  for (const [file, format] of cases) assert.equal(await detectFormat(file), format, file);
});

test('unified CoNLL04: 922/231/288 sentences, 1283/343/422 relations', async () => {
  for (const [split, sentences, relations] of [['train', 922, 1283], ['valid', 231, 343], ['test', 288, 422]] as const) {
    const { docs, diagnostics } = await collect(conll(`unified_two_are_better/${split}.CoNLL04.json`));
    const c = counts(docs);
    assert.equal(c.sentences, sentences);
    assert.equal(c.relations, relations);
    assert.equal(diagnostics.count(), 0);
  }
  const { docs } = await collect(conll('unified_two_are_better/test.CoNLL04.json'));
  const s = docs[1].sentences[0];
  assert.deepEqual(s.tokens.map((t) => docs[1].text.slice(t.start, t.end)), ['PERUGIA', ',', 'Italy', '(', 'AP', ')']);
  assert.deepEqual(shape(docs[1])[0].relations, ['0:1:Loc-Located_In->2:3:Loc', '4:5:Org-OrgBased_In->0:1:Loc', '4:5:Org-OrgBased_In->2:3:Loc']);
});

test('spert-tags CoNLL04 decodes to the same annotations as the unified copy', async () => {
  for (const [tags, uni, n] of [['conll04_train', 'train', 922], ['conll04_dev', 'valid', 231], ['conll04_test', 'test', 288]] as const) {
    const a = await collect(conll(`spert/${tags}.json`));
    const b = await collect(conll(`unified_two_are_better/${uni}.CoNLL04.json`));
    assert.equal(a.docs.length, n);
    assert.deepEqual(a.docs.map(shape), b.docs.map(shape));
    assert.equal(a.diagnostics.count(), 0);
  }
  const all = await collect(conll('spert/conll04_train_dev.json'));
  assert.equal(all.docs.length, 1153);
  assert.equal((await collect(conll('spert/conll04_test.json'))).docs[0].id, '17'); // from orig_id
});

test('multihead CoNLL04: 910/243/288 sentences; test = the same 288 annotated sentences', async () => {
  for (const [split, n] of [['train', 910], ['dev', 243], ['test', 288]] as const)
    assert.equal((await collect(conll(`multihead/${split}.txt`))).docs.length, n);
  const mh = await collect(conll('multihead/test.txt'));
  const uni = await collect(conll('unified_two_are_better/test.CoNLL04.json'));
  // same annotations; a few sentences are tokenised differently ("Santiago." vs "Santiago" ".")
  assert.deepEqual(counts(mh.docs), counts(uni.docs));
  // "John Wilkes Booth … Lincoln": Kill is written on Booth (head's last token) pointing at Lincoln
  assert.ok(shape(mh.docs[0])[0].relations.includes('23:26:Peop-Kill->15:16:Peop'), 'shape(mh.docs[0])[0].relations.includes(\'23:26:Peop-Kill->15:16:Peop\')');
});

// SciERC train lists 4 relations twice in their sentence (the published 3,219 counts them twice); the
// copies are dropped with a `duplicate-relation-dropped` warning each.
const SCIERC_TRAIN_REPEATS = 4;

test('SpERT SciERC: counts, types file and symmetric flags', async () => {
  const dir = join(DATA, 'scierc/tanl_spert');
  for (const [split, sentences, relations] of [['train', 1861, 3219 - SCIERC_TRAIN_REPEATS], ['dev', 275, 455], ['test', 551, 974]] as const) {
    const c = await loadCorpus(join(dir, `scierc_joint_er_${split}.json`));
    assert.equal(c.format, 'spert');
    assert.deepEqual([counts(c.documents).sentences, counts(c.documents).relations], [sentences, relations]);
    assert.equal(c.diagnostics.count('duplicate-relation-dropped'), split === 'train' ? SCIERC_TRAIN_REPEATS : 0);
    assert.equal(c.diagnostics.count(), c.diagnostics.count('duplicate-relation-dropped'));
    assert.deepEqual(c.schema.entityTypes.length, 6);
    assert.deepEqual(
      c.schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name),
      ['Compare', 'Conjunction'],
    );
  }
});

test('DyGIE SciERC: inclusive document offsets become the same sentence spans as the SpERT copy', async () => {
  for (const [split, docsN, sentences, relations] of [['train', 350, 1861, 3219 - SCIERC_TRAIN_REPEATS], ['dev', 50, 275, 455], ['test', 100, 551, 974]] as const) {
    const dy = await collect(join(DATA, `scierc/dygie/${split}.json`));
    assert.deepEqual(counts(dy.docs), { documents: docsN, sentences, entities: counts(dy.docs).entities, relations });
    assert.equal(dy.diagnostics.count('duplicate-relation-dropped'), split === 'train' ? SCIERC_TRAIN_REPEATS : 0);
    const sp = await collect(join(DATA, `scierc/tanl_spert/scierc_joint_er_${split}.json`));
    assert.equal(counts(dy.docs).entities, counts(sp.docs).entities);
    // SpERT un-escapes -LRB- etc.; spans and relations must agree
    // relation names differ in case only (USED-FOR vs Used-for)
    const spans = (docs: typeof dy.docs) =>
      docs.flatMap((d) => shape(d).map((s) => [s.entities, s.relations.map((r) => r.toLowerCase())]));
    assert.deepEqual(spans(dy.docs), spans(sp.docs));
  }
});

test('NYT CoType: folded, quote-stripped, None dropped; 39 dev / 356 test from the shipped ids', async () => {
  const file = join(DATA, 'nyt_cotype/test.json');
  const all = await collect(file);
  assert.equal(all.docs.length, 395);
  // 410 non-None mentions, 14 of them exact repeats of another mention of the same sentence
  assert.equal(counts(all.docs).relations, 396);
  assert.equal(all.diagnostics.count('nyt-duplicate-relation-dropped'), 14);
  assert.equal(all.diagnostics.count('nyt-none-relation-dropped'), 3880 - 410);
  assert.equal(all.diagnostics.count('nyt-relation-argument-not-found'), 0);
  assert.equal(all.diagnostics.count('nyt-mention-not-found'), 0);
  const dev = await collect(file, { split: 'dev' });
  const rest = await collect(file, { split: 'test' });
  assert.equal(dev.docs.length, 39);
  assert.equal(rest.docs.length, 356);
  assert.deepEqual(new Set(dev.docs.map((d) => d.id)), NYT_DEV_IDS);
  assert.equal(dev.diagnostics.count('nyt-dev-ids-not-in-file'), 0);

  const quoted = all.docs.find((d) => d.id === '1-14')!; // sentText was "\"The aid group … Conakry .\"\r\n"
  assert.ok(quoted.text.startsWith('The aid group') && quoted.text.endsWith('Conakry .'), 'quoted.text.startsWith(\'The aid group\') && quoted.text.endsWith(\'Conakry .\')');
  assert.deepEqual(shape(quoted)[0].relations, ['28:29:LOCATION-/location/country/capital->30:31:LOCATION']);
  assert.ok(!all.docs.some((d) => /[áâÁÉèéêíóôöÓúüñ]/.test(d.text)), '!all.docs.some((d) => /[áâÁÉèéêíóôöÓúüñ]/.test(d.text))');
});

/** A brat file named in another case (`doc.ANN`, from Windows or an archive tool) and no --format: the rename, not "cannot detect the format". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { detectFormat, loadCorpus } from '../../src/data/formats/index.js';
import { tmp } from './helpers.js';

test('a .ANN or .TXT named without --format is read as brat, which asks for the rename', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'doc.TXT'), 'Mary works .\n');
  writeFileSync(join(dir, 'doc.ANN'), 'T1\tPER 0 4\tMary\n');
  for (const name of ['doc.ANN', 'doc.TXT']) {
    assert.equal(await detectFormat(join(dir, name)), 'brat');
    await assert.rejects(
      loadCorpus(join(dir, name)),
      (e: unknown) => e instanceof UserError && e.message === `${join(dir, 'doc')}: brat's files end in lower-case .txt and .ann: rename doc.TXT to doc.txt and doc.ANN to doc.ann`,
    );
  }
});

test('JSON or JSON Lines named .TXT or .Ann, with no brat partner beside it, is read by its content', async () => {
  const dir = tmp();
  const line = JSON.stringify({ id: 'd1', text: 'Mary works .', sentences: [{ tokens: [[0, 4], [5, 10], [11, 12]], entities: [], relations: [] }] });
  for (const name of ['j.TXT', 'k.Ann', 'm.Txt']) {
    writeFileSync(join(dir, name), line + '\n');
    assert.equal(await detectFormat(join(dir, name)), 'jsonl', name);
    assert.equal((await loadCorpus(join(dir, name))).documents.length, 1, name);
  }
});

test('a brat .TXT that opens with "[" is still brat when its .ANN is beside it', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'ref.TXT'), '[1] Mary works .\n');
  writeFileSync(join(dir, 'ref.ANN'), 'T1\tPER 4 8\tMary\n');
  assert.equal(await detectFormat(join(dir, 'ref.TXT')), 'brat');
});

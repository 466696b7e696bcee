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

/**
 * `entrel package` with the built bin, and the package through npm itself: `npm pack`, `npm install` of
 * the tarball into a new project (offline: the package has no dependencies to fetch), then `--model NAME`
 * from that project, and the package's own `modelDir` through `import` and `require`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { saveModelDir } from '../../src/model/io.js';
import { SCHEMA } from '../model/fixtures.js';
import { SMALL_DIMS, tinyJointModel } from '../model/tiny-joint.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'entrel.js');
const tmp = tempDir('entrel-cli-package-');
const { model } = tinyJointModel({ torchSeed: 5, train: [10, 2], config: SMALL_DIMS });
const modelDir = join(tmp, 'run', 'best');
saveModelDir(modelDir, model, SCHEMA, { glove: false });

function run(cmd: string, args: string[], cwd = tmp) {
  const r = spawnSync(cmd, args, { ...CHILD_LIMIT, cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const entrel = (args: string[], cwd?: string) => run(process.execPath, [bin, ...args], cwd);

describe('entrel package, then npm pack and npm install', () => {
  const out = join(tmp, 'pkg');

  it('writes the package and says how to install and use it, with the warning of a missing license on stderr', () => {
    const r = entrel(['package', '--model', modelDir, '--out', out, '--name', '@acme/cli-model', '--version', '0.3.0']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^wrote @acme\/cli-model@0\.3\.0 to .*pkg \(9 files, [\d.]+ (MiB|KiB)\)\n {2}install: {2}npm install /);
    assert.match(r.out, /npm publish .*pkg --access public to share it publicly\)\n/, 'a scoped package is published restricted unless told');
    assert.match(r.out, /use: {6}npx entrel extract --model @acme\/cli-model "…"/);
    assert.match(r.err, /^entrel: warning: no --license: /);
  });

  it('is installed by npm from its tarball, and found by name from the project', () => {
    const packed = run('npm', ['pack', out, '--pack-destination', tmp, '--json']);
    assert.equal(packed.code, 0, packed.err);
    const [{ filename, files }] = JSON.parse(packed.out) as { filename: string; files: { path: string }[] }[];
    assert.deepEqual(files.map((f) => f.path).sort(), ['README.md', 'index.d.ts', 'index.js', 'model/checksum', 'model/config.json', 'model/schema.json', 'model/vocab.json', 'model/weights.safetensors', 'package.json']);
    const proj = tempDir('entrel-npm-project-');
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true }));
    const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(tmp, filename)], proj);
    assert.equal(installed.code, 0, installed.err);
    assert.deepEqual(readdirSync(join(proj, 'node_modules', '@acme')), ['cli-model']);

    const info = entrel(['info', '--model', '@acme/cli-model', '--json'], proj);
    assert.equal(info.code, 0, info.err);
    const card = JSON.parse(info.out) as { name: string; version: string; dir: string };
    assert.deepEqual([card.name, card.version, card.dir], ['@acme/cli-model', '0.3.0', join(proj, 'node_modules', '@acme', 'cli-model', 'model')]);

    const byName = entrel(['extract', '--model', '@acme/cli-model', '--workers', '0', '--json', 'Smith works for Acme .'], proj);
    const byDir = entrel(['extract', '--model', modelDir, '--workers', '0', '--json', 'Smith works for Acme .'], proj);
    assert.equal(byName.code, 0, byName.err);
    assert.deepEqual(JSON.parse(byName.out), JSON.parse(byDir.out), 'the packaged model extracts as the original does');

    for (const code of ["import { modelDir, name } from '@acme/cli-model'; console.log(modelDir, name)", "const { modelDir, name } = require('@acme/cli-model'); console.log(modelDir, name)"]) {
      const r = run(process.execPath, ['--input-type', code.startsWith('import') ? 'module' : 'commonjs', '-e', code], proj);
      assert.equal(r.out.trim(), `${join(proj, 'node_modules', '@acme', 'cli-model', 'model')} @acme/cli-model`, r.err);
    }
  });

  it("finds the model of the package's own directory, as the install hint's `npm install DIR` leaves it", () => {
    const r = entrel(['info', '--model', 'pkg', '--json'], tmp);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { dir: string }).dir, join(tmp, 'pkg', 'model'));
  });

  it("names the flag of a bad name or version, and a package that is not installed", () => {
    const bad = entrel(['package', '--model', modelDir, '--out', join(tmp, 'bad'), '--name', 'x', '--version', '1.0']);
    assert.deepEqual([bad.code, bad.err], [1, 'entrel: --version: "1.0" is not a semver version (MAJOR.MINOR.PATCH, e.g. 1.0.0)\n']);
    const unnamed = entrel(['package', '--model', modelDir, '--out', join(tmp, 'bad')]);
    assert.equal(unnamed.code, 1);
    assert.match(unnamed.err, /^entrel: .*best: name: the model's name "run\/best" cannot be the package's \(not a valid npm package name\): give one with --name/);
    const missing = entrel(['extract', '--model', '@acme/not-installed', 'text'], tmp);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^entrel: @acme\/not-installed: no model directory of that name .*nor an installed npm package "@acme\/not-installed"/);
  });

  it("keeps `entrel --version` the program's, and `--version` after another command that command's error", () => {
    assert.match(entrel(['--version']).out, /^\d+\.\d+\.\d+\n$/);
    const r = entrel(['extract', '--version']);
    assert.deepEqual([r.code, r.err], [1, "entrel: unknown option '--version' (see entrel extract --help)\n"]);
  });
});

/**
 * `entrel package [--model M] --out DIR [--name N] [--version V] …`: a trained model as an npm package
 * (extract/model-package.ts), to `npm install`, `npm pack` or `npm publish`; installed, `--model N` finds it.
 */
import { byteSize } from '../../data/byte-size.js';
import { Command } from 'commander';
import semver from 'semver';
import { formatLocated, isUserError, UserError } from '../../errors.js';
import { modelRef } from './arg-values.js';
import { withInterrupts } from '../interrupt.js';
import type { PackageOptions } from '../../extract/model-package.js';
import { printJson, printWarning } from '../output.js';

interface PackageFlags extends PackageOptions {
  model?: string;
  out: string;
  json?: boolean;
}

/** A bad `name` or `version` option, as the flag the user typed (`--version: "1.0" is not …`). */
async function inFlagWords<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const field = isUserError(e) && e.location.file === undefined ? e.location.field : undefined;
    if (field !== 'name' && field !== 'version' && field !== 'license') throw e;
    throw new UserError((e as Error).message.slice(formatLocated('', { field }).length), { field: `--${field}` });
  }
}

/**
 * `npm publish` as this package needs it: a scoped name is published restricted (private, paid) unless
 * told otherwise, which stays the user's choice; a prerelease version needs a dist-tag.
 */
function publishCommand(dir: string, name: string, version: string): string {
  const flags = [name.startsWith('@') && '--access public', semver.prerelease(version) && '--tag next'].filter(Boolean);
  return `npm publish ${dir}${flags.length ? ` ${flags.join(' ')}` : ''}`;
}

export function packageCommand(): Command {
  return new Command('package')
    .description('write a trained model as an npm package: npm install it (or pack, or publish it), then --model NAME finds it')
    .option('--model <dir|package>', 'the model to package (default: the bundled CoNLL04 model)', modelRef)
    .requiredOption('--out <dir>', "the package directory: new, empty, or an earlier model package, updated (its model/, index.js, index.d.ts and README.md rewritten; your other files and package.json fields stay)")
    .option('--name <name>', "the npm package name, e.g. @you/entrel-bio (default: the earlier package's, else the model's name if it is a valid one)")
    .option('--version <semver>', "the package version (default: the earlier package's, else the model's if it is one, else 1.0.0)")
    .option('--description <text>', 'package.json description (default: the model\'s labels and training data)')
    .option('--license <spdx>', 'package.json license, e.g. MIT, CC-BY-4.0 or UNLICENSED')
    .option('--author <who>', 'package.json author')
    .option('--with-vectors', "include the model's own word vectors (config `embeddings`), through which it reads words it was not trained on")
    .option('--json', 'print what was written as JSON')
    .action(async (flags: PackageFlags) => {
      const { packageModel } = await import('../../extract/model-package.js');
      const { name, version, description, license, author, withVectors } = flags;
      const opts = Object.fromEntries(Object.entries({ name, version, description, license, author, withVectors }).filter(([, v]) => v !== undefined));
      const r = await withInterrupts(() => inFlagWords(() => packageModel(flags.model, flags.out, opts)));
      for (const w of r.warnings) printWarning(w);
      if (flags.json) return printJson(r);
      process.stdout.write(
        [
          `wrote ${r.name}@${r.version} to ${r.dir} (${r.files.length} files, ${byteSize(r.bytes)})`,
          `  install:  npm install ${r.dir}   (or: npm pack ${r.dir}, then install the .tgz; ${publishCommand(r.dir, r.name, r.version)} to share it${r.name.startsWith('@') ? ' publicly' : ''})`,
          `  use:      npx entrel extract --model ${r.name} "…"   or   Extractor.load(${JSON.stringify(r.name)})`,
          '',
        ].join('\n'),
      );
    });
}

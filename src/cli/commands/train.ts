/**
 * `entrel train --config FILE --out DIR [--set key=value …] [--resume]`: the NN (local-loss) phase;
 * with `--init DIR` (or `init` in the config): the MRT phase, fine-tuning that pretrained model, or with
 * `--local` as well that model trained on with the local loss alone (e.g. on the user's own data).
 */
import { Command } from 'commander';
import { UserError } from '../../errors.js';
import { withInterrupts } from '../interrupt.js';
import { printJson, printWarning } from '../output.js';
import { modelRef } from './arg-values.js';
import { percent } from '../../eval/table.js';

interface TrainFlags { config: string; out: string; set: string[]; init?: string; mrt?: boolean; local?: boolean; resume?: boolean; quiet?: boolean; json?: boolean }

export function trainCommand(): Command {
  return new Command('train')
    .description('train the joint model: local loss L_ent + L_rel, or minimum risk training from a pretrained model (--init)')
    .requiredOption('--config <file>', 'training config (JSON; defaults are the paper\'s, see configs/README.md)')
    .requiredOption('--out <dir>', 'run directory: best/ model, last/ checkpoint, train.log.jsonl, curve.svg')
    .option('--set <key=value...>', 'override config keys, e.g. --set epochs=5 seed=2 alpha=0.5, or embeddings=VECTORS model.wordDim=300 for your own word vectors; key=null removes a key the config sets (repeatable)', [])
    .option('--init <dir|package>', 'pretrained model directory (or model package): run the MRT phase (L̃ + L_mrt) starting from it', modelRef)
    .option('--mrt', 'minimum risk training (needs --init or "init" in the config)')
    .option('--local', 'with --init: train that model on with the local loss alone, no MRT (e.g. a trained model on your own data)')
    .option('--resume', 'continue a killed run from its last checkpoint')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TrainFlags) => {
      const { checkDataFiles, keysFromSet, loadConfig, refuseMrtSettings, trainNN, trainMRT, continueNN } = await import('../../train/index.js');
      const sets = flags.init ? [...flags.set, `init=${JSON.stringify(flags.init)}`] : flags.set;
      const config = loadConfig(flags.config, sets);
      // Which keys the command line gave, for errors about them to say so.
      const given = keysFromSet(flags.set);
      if (flags.init !== undefined) given.set('init', '--init');
      checkDataFiles(config, flags.config, given);
      if (flags.mrt && !config.init) throw new UserError('--mrt starts from a pretrained model: pass --init DIR');
      if (flags.local && !config.init) throw new UserError('--local continues a trained model: pass --init DIR');
      if (flags.local && flags.mrt) throw new UserError('--local (the local loss alone) and --mrt exclude each other');
      const mrt = config.init !== undefined && !flags.local;
      if (!mrt) refuseMrtSettings(flags.config, flags.set, '(--init DIR, without --local) reads it, and this run trains with the local loss alone');
      const train = mrt ? trainMRT : config.init ? continueNN : trainNN;
      const result = await withInterrupts(
        (stopRequested) => train(config, flags.out, { resume: flags.resume, quiet: flags.quiet, onWarning: printWarning, stopRequested }),
        true,
      );
      if (flags.json) printJson(result);
      else {
        // The model kept: with validateEvery, possibly chosen within its epoch, at other scores than the epoch's end.
        const c = result.chosen;
        const scores = c ? `dev relation F1 ${percent(c.dev.relF1)}, entity F1 ${percent(c.dev.entF1)}` : 'no epoch run';
        const within = c?.sentences === undefined ? '' : ` after ${c.sentences} of its sentences`;
        process.stdout.write(`best epoch ${result.bestEpoch}${within} (selected on ${config.select}): ${scores}; model in ${flags.out}/best\n`);
      }
    });
}

/** `entrel train --config FILE --out DIR [--set key=value …] [--resume]`: the NN (local-loss) phase. */
import { Command } from 'commander';

interface TrainFlags { config: string; out: string; set: string[]; resume?: boolean; quiet?: boolean; json?: boolean }

const collect = (v: string, acc: string[]) => [...acc, v];

export function trainCommand(): Command {
  return new Command('train')
    .description('train the joint model (local loss L_ent + L_rel) with dev-based model selection')
    .requiredOption('--config <file>', 'training config (JSON; defaults are the paper\'s, see configs/README.md)')
    .requiredOption('--out <dir>', 'run directory: best/ model, last/ checkpoint, train.log.jsonl, curve.svg')
    .option('--set <key=value>', 'override a config key (repeatable), e.g. --set epochs=5 seed=2', collect, [])
    .option('--resume', 'continue a killed run from its last checkpoint')
    .option('--quiet', 'no progress bar')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TrainFlags) => {
      const { loadConfig, trainNN } = await import('../../train/index.js');
      const config = loadConfig(flags.config, flags.set);
      const result = await trainNN(config, flags.out, { resume: flags.resume, quiet: flags.quiet });
      if (flags.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write(`best dev relation F1 ${(result.bestScore * 100).toFixed(2)} at epoch ${result.bestEpoch}; model in ${flags.out}/best\n`);
    });
}

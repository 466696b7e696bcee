/**
 * Which NN runs each test-scored MRT study started from, how it ran (its config, which NN model it
 * started from) and which of its own models it scores (best/ or final/). run.ts records this per study
 * (runs/<study>/nn.json, and bases.json, which is committed); the diagnostics read it back, so that they
 * compare the models a study's tables report.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Keep } from '../kept-model.js';

const here = dirname(fileURLToPath(import.meta.url));
export const BASES_FILE = join(here, 'bases.json');
export const DEFAULT_CONFIG = 'configs/conll04-mrt.json';

/** A test-scored study, the NN runs it started from and the config it fine-tuned with. */
export interface Base {
  study: string;
  nn: string;
  config: string;
  /** 'last' when dev is inside the training data: no selection, these runs' final/ are scored. */
  keep?: Keep;
  /** The NN runs' model started from: best/, or final/ for NN runs that kept their last epoch. */
  from: Start;
}

export type Start = 'best' | 'final';
/** Where a study starts unless it says: where it keeps (NN runs on the same data as its own). */
export const defaultStart = (keep?: Keep): Start => (keep === 'last' ? 'final' : 'best');

/** A base as nn.json and bases.json hold it: the default config and start left out. */
type StoredBase = Omit<Base, 'config' | 'from'> & { config?: string; from?: Start };
const fromStored = (b: StoredBase): Base => ({ ...b, config: b.config ?? DEFAULT_CONFIG, from: b.from ?? defaultStart(b.keep) });

export function toStored({ study, nn, config, keep, from }: Base): StoredBase {
  return { study, nn, ...(config !== DEFAULT_CONFIG && { config }), ...(keep && { keep }), ...(from !== defaultStart(keep) && { from }) };
}

/**
 * Every test-scored study: table2 → seed, labelled ones (Table 2 or cells of Figure 3/4 run with --label)
 * from runs/<study>/nn.json, and from bases.json for labelled studies whose run directories are gone
 * (runs/ is not committed; bases.json is, and run.ts keeps it complete). `dir` holds runs/ and
 * bases.json: this directory, or the `--out` of a trial.
 */
export function tableBases(dir: string = here): Base[] {
  const runs = join(dir, 'runs');
  const basesFile = join(dir, 'bases.json');
  const labelled = existsSync(runs)
    ? readdirSync(runs).filter((d) => /^(table2|fig3|fig4)-/.test(d) && existsSync(join(runs, d, 'nn.json')))
    : [];
  const read = (d: string): Base => fromStored({ ...(JSON.parse(readFileSync(join(runs, d, 'nn.json'), 'utf8')) as Omit<StoredBase, 'study'>), study: d });
  const committed = existsSync(basesFile) ? (JSON.parse(readFileSync(basesFile, 'utf8')) as StoredBase[]).map(fromStored) : [];
  const byStudy = new Map([...committed, ...labelled.map(read)].map((b) => [b.study, b]));
  return [{ study: 'table2', nn: 'seed', config: DEFAULT_CONFIG, from: 'best' }, ...[...byStudy.values()].sort((a, b) => a.study.localeCompare(b.study))];
}

/** The base of one study (e.g. `table2-heldout-kbest`), or an error naming the studies there are. */
export function studyBase(study: string): Base {
  const bases = tableBases();
  const base = bases.find((b) => b.study === study);
  if (!base) throw new Error(`no MRT study ${study} in experiments/mrt/runs or bases.json (there are: ${bases.map((b) => b.study).join(', ')})`);
  return base;
}

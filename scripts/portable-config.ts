/**
 * The training config a model package records (`trainConfig` of its meta): the paths it names relative to
 * the repository, so that the package holds no paths of the machine that trained it.
 */
import { relative } from 'node:path';
import type { TrainConfig } from '../src/train/config-schema.js';

/**
 * `config` with every path it names (the data files, the types file, an `init` model, word vectors)
 * relative to `repo`; `data.train` as a list. A setting that is absent stays absent.
 */
export function portableConfig(config: TrainConfig, repo: string): TrainConfig & { data: { train: string[] } } {
  const rel = (path: string | undefined) => (path === undefined ? undefined : relative(repo, path));
  const { data } = config;
  const paths = { dev: rel(data.dev)!, test: rel(data.test), types: rel(data.types) };
  const present = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    ...config,
    ...present({ init: rel(config.init), embeddings: rel(config.embeddings) }),
    data: { ...data, train: [data.train].flat().map((f) => relative(repo, f)), dev: paths.dev, ...present({ test: paths.test, types: paths.types }) },
  };
}

/**
 * The per-epoch progress bar on stderr (loss, sentences/s, ETA). Off when stderr is not a terminal or
 * with --quiet, so logs and CI output stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(epoch: number, total: number): void;
  update(done: number, loss: number, sentencesPerSecond: number): void;
  stop(): void;
}

export function createProgress(quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'epoch {epoch} [{bar}] {value}/{total} sent | loss {loss} | {speed} sent/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (epoch, total) => bar.start(total, 0, { epoch, loss: '-', speed: '-' }),
    update: (done, loss, sps) => bar.update(done, { loss: loss.toFixed(4), speed: sps.toFixed(0) }),
    stop: () => bar.stop(),
  };
}

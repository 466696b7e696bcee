/**
 * The progress bars on stderr, one implementation for every command that shows one: training's per-epoch
 * bar (loss, sentences/s, ETA), and the bar of a run over a whole corpus (`predict`, `evaluate`,
 * `calibrate`, `extract --in`, `view`, `convert`, `split`, the resamples of `compare` and `evaluate
 * --bootstrap`): what is done of how many, the rate, and the ETA of the whole run so far. Off when stderr is
 * not a terminal or with --quiet, so logs, CI output and redirected stdout stay clean; never on stdout.
 */
import cliProgress from 'cli-progress';

/** What a bar counts and how far the run goes. */
export interface BarSpec {
  /** What is being done, first on the line: `predict`, `extract`, `epoch 3`. */
  label: string;
  /** What is counted, plural: `sentences`, `texts`, `resamples`, `documents`. */
  unit: string;
  /** How many there are, shown as done/total; undefined: the count alone (extract's texts, known as read). */
  total?: number;
  /**
   * The whole run's work, in the units `update` measures it in, when that is not the count (extract: input
   * bytes; predict: tokens and sentences, as its batches go from the shortest sentences to the longest): the
   * bar fills and the ETA goes by it. Default `total`; neither: a count without bar or ETA.
   */
  work?: number;
  /** How long `update`'s `detail` is, for the bar to leave it room. */
  detailWidth?: number;
  /** No bar (--quiet). */
  quiet?: boolean;
  /**
   * Leave the cursor shown: the work is one synchronous loop (resampling), which a Ctrl-C ends at once
   * without the handler that would show a hidden cursor again (interrupt.ts runs between event-loop turns).
   */
  keepCursor?: boolean;
}

export interface Bar {
  /**
   * `done` counted so far; `work`: of the run's work (default `done`); `detail`: more on the line, after the
   * count (training's loss); `rate`: counted per second, when the caller times it (default: since the start).
   */
  update(done: number, more?: { work?: number; detail?: string; rate?: number }): void;
  /** Draws the last state and clears the line. Again: nothing. */
  stop(): void;
}

const NO_BAR: Bar = { update() {}, stop() {} };

/** Seconds as the bars show them: `45s`, `3m12s`, `1h05m`. */
const formatSeconds = (s: number) => cliProgress.Format.TimeFormat(Math.round(s), { autopadding: false, autopaddingChar: ' ' }, 1).trim();

const formatRate = (r: number) => (r >= 100 ? r.toFixed(0) : r.toFixed(1));

/** A bar on stderr when it is a terminal (and not `quiet`), started at 0; else one that does nothing. */
export function startBar(spec: BarSpec): Bar {
  if (spec.quiet || !process.stderr.isTTY) return NO_BAR;
  const work = spec.work ?? spec.total;
  // Payload names, not the label or unit, go into the format: cli-progress reads `{…}` in it as fields.
  const format = work === undefined ? '{label} {count} {unit}{detail} | {rate} {unit}/s' : '{label} [{bar}] {percentage}% | {count} {unit}{detail} | {rate} {unit}/s | ETA {remaining}';
  // The bar takes what the terminal's width leaves of the line (a line too long is cut, its ETA first).
  const counted = spec.total === undefined ? '9999999' : `${spec.total}/${spec.total}`;
  const widest = `${spec.label} [] 100% | ${counted} ${spec.unit} | 99999 ${spec.unit}/s | ETA 59m59s`.length + (spec.detailWidth ?? 0);
  const barsize = Math.max(10, Math.min(40, (process.stderr.columns || 80) - widest - 1));
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format, barsize, hideCursor: spec.keepCursor !== true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  const t0 = performance.now();
  const count = (done: number) => (spec.total === undefined ? `${done}` : `${done}/${spec.total}`);
  const fixed = { label: spec.label, unit: spec.unit };
  bar.start(Math.max(1, work ?? 0), 0, { ...fixed, count: count(0), detail: '', rate: '-', remaining: '-' });
  return {
    update(done, more = {}) {
      const seconds = (performance.now() - t0) / 1000;
      const w = Math.min(work ?? 0, more.work ?? done);
      // The ETA of the whole run so far: cli-progress's own, of its last few updates, jumps between seconds
      // and hours when the work comes in batches.
      const remaining = work !== undefined && w > 0 ? formatSeconds((seconds * (work - w)) / w) : '-';
      const rate = more.rate ?? done / Math.max(seconds, 1e-3);
      bar.update(w, { ...fixed, count: count(done), detail: more.detail ?? '', rate: formatRate(rate), remaining });
    },
    stop: () => bar.stop(),
  };
}

/** Bars one after another, as the phases of a run report (predictions, then writing or resamples). */
export interface PhaseBars {
  /**
   * A phase's first report (a label not the last one's) starts its bar, stopping the one before; its count
   * reaching the total ends it, so that no bar hides the cursor while the run goes on without one.
   */
  show(spec: Omit<BarSpec, 'quiet'>, done: number, work?: number): void;
  /** Ends the last bar (after an error too). */
  stop(): void;
}

export function phaseBars(quiet = false): PhaseBars {
  let current: { label: string; bar: Bar } | undefined;
  return {
    show(spec, done, work) {
      if (current?.label !== spec.label) {
        current?.bar.stop();
        current = { label: spec.label, bar: startBar({ ...spec, quiet }) };
      }
      current.bar.update(done, { work });
      if (spec.total !== undefined && done >= spec.total) current.bar.stop(); // again: nothing
    },
    stop() {
      current?.bar.stop();
      current = undefined;
    },
  };
}

/** Training's per-epoch bar. */
export interface Progress {
  start(epoch: number, total: number): void;
  update(done: number, loss: number, sentencesPerSecond: number): void;
  stop(): void;
}

export function createProgress(quiet: boolean): Progress {
  let bar = NO_BAR;
  return {
    start: (epoch, total) => {
      bar.stop();
      bar = startBar({ label: `epoch ${epoch}`, unit: 'sent', total, detailWidth: ' | loss 0.0000'.length, quiet });
    },
    update: (done, loss, sps) => bar.update(done, { detail: ` | loss ${loss.toFixed(4)}`, rate: sps }),
    stop: () => bar.stop(),
  };
}

/**
 * The progress bars on stderr, one implementation for every command that shows one: training's per-epoch
 * bar (loss, sentences/s, ETA), and the bar of a run over a whole corpus (`predict`, `evaluate`,
 * `calibrate`, `extract --in`, `view`, `convert`, `split`, the resamples of `compare` and `evaluate
 * --bootstrap`): what is done of how many, the rate, and the ETA of the whole run so far. Off when stderr is
 * not a terminal or with --quiet, so logs, CI output and redirected stdout stay clean; never on stdout. A
 * terminal without cursor control (TERM=dumb: Emacs' shell, some CI consoles) gets the bar's state as a plain
 * line every PLAIN_SECONDS instead.
 */
import cliProgress from 'cli-progress';

/** A bar's state for a machine (the CLI's --progress-log): its phase, the count, per second, seconds left. */
export interface ProgressRecord {
  phase: string;
  unit: string;
  done: number;
  total?: number;
  rate: number;
  /** Seconds left, by the ETA the bar shows; absent where the run's size is not known. */
  eta?: number;
  /** Since the phase started. */
  seconds: number;
}

/** What a bar counts and how far the run goes. */
interface BarSpec {
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
  /** Also told the bar's state (its first and last, and a second apart at most), drawn or not. */
  log?: (record: ProgressRecord) => void;
}

interface Bar {
  /**
   * `done` counted so far; `work`: of the run's work (default `done`); `detail`: more on the line, after the
   * count (training's loss); `rate`: counted per second, when the caller times it (default: since the start).
   */
  update(done: number, more?: { work?: number; detail?: string; rate?: number }): void;
  /** Draws the last state and clears the line. Again: nothing. */
  stop(): void;
}

const NO_BAR: Bar = { update() {}, stop() {} };

/** Whether stderr is a terminal that a bar can be drawn on: one that takes cursor control (not TERM=dumb). */
export const drawsOnStderr = (): boolean => process.stderr.isTTY === true && process.env.TERM !== 'dumb';

/** Seconds between two plain progress lines on a dumb terminal: often enough to see it move, few enough to read. */
const PLAIN_SECONDS = 5;

/** Seconds as the bars show them: `45s`, `3m12s`, `1h05m`. */
export const formatSeconds = (s: number) => cliProgress.Format.TimeFormat(Math.round(s), { autopadding: false, autopaddingChar: ' ' }, 1).trim();

const formatRate = (r: number) => (r >= 100 ? r.toFixed(0) : r.toFixed(1));

/**
 * A bar on stderr when it is a terminal (and not `quiet`), started at 0, or plain lines on a dumb one; its
 * state also goes to `spec.log` where given. None of these: one that does nothing.
 */
export function startBar(spec: BarSpec): Bar {
  const drawn = !spec.quiet && drawsOnStderr();
  const plain = !spec.quiet && !drawn && process.stderr.isTTY === true ? plainLines(spec) : undefined;
  if (!drawn && !plain && spec.log === undefined) return NO_BAR;
  const work = spec.work ?? spec.total;
  const t0 = performance.now();
  const bar = drawn ? drawnBar(spec, work) : undefined;
  const logged = spec.log && loggedState(spec, spec.log);
  let last: ProgressRecord | undefined;
  let stopped = false;
  return {
    update(done, more = {}) {
      const seconds = (performance.now() - t0) / 1000;
      const w = Math.min(work ?? 0, more.work ?? done);
      // The ETA of the whole run so far: cli-progress's own, of its last few updates, jumps between seconds
      // and hours when the work comes in batches.
      const eta = work !== undefined && w > 0 ? (seconds * (work - w)) / w : undefined;
      const rate = more.rate ?? done / Math.max(seconds, 1e-3);
      const fields = { label: spec.label, unit: spec.unit, count: spec.total === undefined ? `${done}` : `${done}/${spec.total}`, detail: more.detail ?? '', rate: formatRate(rate), remaining: eta === undefined ? '-' : formatSeconds(eta) };
      bar?.update(w, fields);
      plain?.(fields, seconds);
      last = { phase: spec.label, unit: spec.unit, done, ...(spec.total === undefined ? {} : { total: spec.total }), rate: round(rate), ...(eta === undefined ? {} : { eta: round(eta) }), seconds: round(seconds) };
      logged?.(last, false);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
      if (last) logged?.(last, true);
    },
  };
}

/** The cli-progress bar of startBar: the fields its format names are updated by startBar. */
function drawnBar(spec: BarSpec, work: number | undefined): cliProgress.SingleBar {
  // Payload names, not the label or unit, go into the format: cli-progress reads `{…}` in it as fields.
  const format = work === undefined ? '{label} {count} {unit}{detail} | {rate} {unit}/s' : '{label} [{bar}] {percentage}% | {count} {unit}{detail} | {rate} {unit}/s | ETA {remaining}';
  // The bar takes what the terminal's width leaves of the line (a line too long is cut, its ETA first).
  const counted = spec.total === undefined ? '9999999' : `${spec.total}/${spec.total}`;
  const widest = `${spec.label} [] 100% | ${counted} ${spec.unit} | 99999 ${spec.unit}/s | ETA 59m59s`.length + (spec.detailWidth ?? 0);
  const barsize = Math.max(10, Math.min(40, (process.stderr.columns || 80) - widest - 1));
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format, barsize, hideCursor: spec.keepCursor !== true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(Math.max(1, work ?? 0), 0, { label: spec.label, unit: spec.unit, count: spec.total === undefined ? '0' : `0/${spec.total}`, detail: '', rate: '-', remaining: '-' });
  return bar;
}

/** A bar's fields as one plain line on stderr, PLAIN_SECONDS apart (the first after as long). */
function plainLines(spec: BarSpec): (fields: Record<string, string>, seconds: number) => void {
  let at = 0;
  return (f, seconds) => {
    if (seconds - at < PLAIN_SECONDS) return;
    at = seconds;
    const sized = (spec.work ?? spec.total) !== undefined;
    process.stderr.write(`entrel: ${f.label} ${f.count} ${f.unit}${f.detail} | ${f.rate} ${f.unit}/s${sized ? ` | ETA ${f.remaining}` : ''}\n`);
  };
}

/** Passes a bar's states to `log`: the first, then one a second at most, the complete one, and the last (`final`) if not passed yet. */
function loggedState(spec: BarSpec, log: (record: ProgressRecord) => void): (record: ProgressRecord, final: boolean) => void {
  let at = -Infinity;
  let passed: ProgressRecord | undefined;
  return (record, final) => {
    if (record === passed) return;
    const now = performance.now();
    const complete = spec.total !== undefined && record.done >= spec.total;
    if (complete ? passed?.done === record.done : !final && now - at < 1000) return;
    at = now;
    passed = record;
    log(record);
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Bars one after another, as the phases of a run report (predictions, then writing or resamples). */
export interface PhaseBars {
  /**
   * A phase's first report (a label not the last one's) starts its bar, stopping the one before; its count
   * reaching the total ends it, so that no bar hides the cursor while the run goes on without one.
   */
  show(spec: Omit<BarSpec, 'quiet' | 'log'>, done: number, work?: number): void;
  /** Ends the last bar (after an error too). */
  stop(): void;
}

export function phaseBars(quiet = false, log?: (record: ProgressRecord) => void): PhaseBars {
  let current: { label: string; bar: Bar } | undefined;
  return {
    show(spec, done, work) {
      if (current?.label !== spec.label) {
        current?.bar.stop();
        current = { label: spec.label, bar: startBar({ ...spec, quiet, log }) };
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

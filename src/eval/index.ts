export { compactSentence } from './compact.js';
export { ErrorAnalyzer } from './errors.js';
export type { ConfusionMatrix, ErrorBreakdown, ErrorInstance, ErrorReport, RelationRef, SpanRef } from './errors.js';
export { formatErrors } from './errors-table.js';
export { comparablePair, evaluate, evaluateWithErrors, pairDocuments } from './evaluate.js';
export type { EvaluateOptions } from './evaluate.js';
export { scores } from './metrics.js';
export type { Counts, CriterionScores, PRF, TypeScores } from './metrics.js';
export { Scorer } from './scorer.js';
export type { EvalReport, ScorerOptions } from './scorer.js';
export { paperCompatChanges, type PaperCompatChanges } from './paper-compat.js';
export { compareCounts, compareSystems, confidenceIntervals, MEASURES, RESAMPLE_UNITS, unitCounts } from './significance.js';
export type {
  CompareSystemsOptions,
  Difference,
  Interval,
  ResampleOptions,
  ResampleUnit,
  ScoreIntervals,
  SystemComparison,
  SystemsComparison,
  UnitCounts,
} from './significance.js';
export { formatComparison, formatIntervals } from './significance-table.js';
export { formatReport } from './table.js';
export { resolveMinVotes, vote } from './vote.js';
export type { VoteCounts, VoteOptions } from './vote.js';
export { DEFAULT_THRESHOLDS, formatThresholds, thresholdSweep } from './thresholds.js';
export type { ThresholdRow } from './thresholds.js';
export type { ItemScores, PredictionScores } from './item-scores.js';
export { calibration, formatCalibration, scoredItems } from './calibration.js';
export type { CalibrationReport } from './calibration.js';

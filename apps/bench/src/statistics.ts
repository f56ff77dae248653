// Summaries of repeated measurements: min / median / max, and ratios between two summaries.
// Medians, not means: one slow repetition (a GC pause, the other core busy) must not move the figure.

export interface Summary {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly count: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summarize needs at least one sample; received none');
  const sorted = [...samples].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, count: sorted.length };
}

/** `numerator / denominator` of the medians; `undefined` when either side is missing or zero. */
export function medianRatio(
  numerator: Summary | undefined,
  denominator: Summary | undefined,
): number | undefined {
  if (numerator === undefined || denominator === undefined || denominator.median === 0) return undefined;
  return numerator.median / denominator.median;
}

/** Formats a number for tables: 3 significant digits, thousands grouped, no exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatSummary(summary: Summary | undefined): string {
  if (summary === undefined) return 'n/a';
  if (summary.count === 1) return formatNumber(summary.median);
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

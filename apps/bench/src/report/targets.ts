// The targets, evaluated from one run's rows, and the strictmail / nodemailer ratios.
// A target whose inputs were not measured (a client not built yet) is "not measured", never met.
import { CLIENT_SPECS, type ClientSpec, isStrictmail } from '../clients/client-specs';
import { medianRatio } from '../statistics';
import type { MetricName, ResultRow } from '../workloads/results';

export interface Ratio {
  readonly workload: string;
  readonly sink: string;
  readonly metric: MetricName;
  readonly numerator: string;
  readonly denominator: string;
  readonly value: number | undefined;
}

export interface TargetVerdict {
  /** The workload whose figure decides it (used to re-run it under the profiler). */
  readonly workload: string;
  readonly target: string;
  readonly client: string;
  readonly measured: string;
  readonly status: 'met' | 'missed' | 'not measured';
}

function find(rows: readonly ResultRow[], workload: string, sink: string, client: ClientSpec | null) {
  return rows.find(
    (row) =>
      row.workload === workload && row.sink === sink && (row.client?.id ?? null) === (client?.id ?? null),
  );
}

const C = CLIENT_SPECS;
/** Each strictmail client and the nodemailer client it is compared with (same pooling). */
const PAIRS: readonly [ClientSpec, ClientSpec][] = [
  [C.corePool4, C.nodemailerPool4],
  [C.transportPool4, C.nodemailerPool4],
  [C.corePool1, C.nodemailerPool1],
  [C.transportPool1, C.nodemailerPool1],
  [C.coreNoPool, C.nodemailer],
  [C.transportNoPool, C.nodemailer],
];

/** The figures worth a ratio; busy shares and the sink's own cost are context, not comparisons. */
const RATIO_METRICS: ReadonlySet<MetricName> = new Set<MetricName>([
  'messagesPerSecond',
  'clientCpuMsPerMessage',
  'peakRssMb',
  'megabytesPerSecond',
  'rssAddedMb',
  'latencyMs',
  'latencyDelayedMs',
  'roundTripsPerSend',
  'clientCpuMsPerSend',
  'roundTripsPerMessage',
  'startStopMs',
]);

export function computeRatios(rows: readonly ResultRow[]): Ratio[] {
  const ratios: Ratio[] = [];
  for (const row of rows) {
    if (row.client === null || !isStrictmail(row.client)) continue;
    const pair = PAIRS.find(([strictmail]) => strictmail.id === row.client!.id);
    if (pair === undefined) continue;
    const baseline = find(rows, row.workload, row.sink, pair[1]);
    if (baseline === undefined) continue;
    for (const metric of (Object.keys(row.metrics) as MetricName[]).filter((name) =>
      RATIO_METRICS.has(name),
    )) {
      ratios.push({
        workload: row.workload,
        sink: row.sink,
        metric,
        numerator: row.client.id,
        denominator: pair[1].id,
        value: medianRatio(row.metrics[metric], baseline.metrics[metric]),
      });
    }
  }
  return ratios;
}

function verdict(
  workload: string,
  target: string,
  client: string,
  value: number | undefined,
  passes: (value: number) => boolean,
  format: (value: number) => string,
): TargetVerdict {
  if (value === undefined || !Number.isFinite(value)) {
    return { workload, target, client, measured: 'n/a', status: 'not measured' };
  }
  return { workload, target, client, measured: format(value), status: passes(value) ? 'met' : 'missed' };
}

const times = (value: number) => `${value.toFixed(2)}x`;

export function evaluateTargets(rows: readonly ResultRow[]): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const ratio = (
    workload: string,
    sink: string,
    metric: MetricName,
    client: ClientSpec,
    baseline: ClientSpec,
  ) =>
    medianRatio(
      find(rows, workload, sink, client)?.metrics[metric],
      find(rows, workload, sink, baseline)?.metrics[metric],
    );
  const median = (workload: string, sink: string, metric: MetricName, client: ClientSpec | null) =>
    find(rows, workload, sink, client)?.metrics[metric]?.median;

  for (const client of [C.corePool4, C.transportPool4]) {
    verdicts.push(
      verdict(
        'throughput',
        'pooled throughput >= 5x nodemailer pool of 4 (fast sink)',
        client.id,
        ratio('throughput', 'fast', 'messagesPerSecond', client, C.nodemailerPool4),
        (value) => value >= 5,
        times,
      ),
    );
  }
  for (const client of [C.corePool1, C.transportPool1]) {
    verdicts.push(
      verdict(
        'round-trips',
        'warm round trips/msg <= 0.2 with CHUNKING',
        client.id,
        median('round-trips', 'fast', 'roundTripsPerMessage', client),
        (value) => value <= 0.2,
        (value) => value.toFixed(2),
      ),
      verdict(
        'round-trips',
        'warm round trips/msg <= 1.2 with DATA',
        client.id,
        median('round-trips', 'fast-data', 'roundTripsPerMessage', client),
        (value) => value <= 1.2,
        (value) => value.toFixed(2),
      ),
    );
  }
  for (const client of [C.coreNoPool, C.transportNoPool]) {
    verdicts.push(
      verdict(
        'cold',
        'cold send latency <= 0.6x nodemailer (loopback)',
        client.id,
        ratio('cold', 'fast', 'latencyMs', client, C.nodemailer),
        (value) => value <= 0.6,
        times,
      ),
      verdict(
        'cold',
        'cold send latency <= 0.6x nodemailer (20 ms round trip)',
        client.id,
        ratio('cold', 'fast', 'latencyDelayedMs', client, C.nodemailer),
        (value) => value <= 0.6,
        times,
      ),
    );
  }
  for (const client of [C.corePool1, C.transportPool1]) {
    verdicts.push(
      verdict(
        'large-message',
        '50 MB message adds <= 16 MB to peak RSS',
        client.id,
        median('large-message', 'fast', 'rssAddedMb', client),
        (value) => value <= 16,
        (value) => `${value.toFixed(1)} MB`,
      ),
    );
  }
  verdicts.push(
    verdict(
      'harness',
      'harness start+stop of a TLS server < 10 ms',
      '@strictmail/mock-server',
      median('harness', 'mock-server', 'startStopMs', null),
      (value) => value < 10,
      (value) => `${value.toFixed(2)} ms`,
    ),
  );
  return verdicts;
}

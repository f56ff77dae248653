// The shape of everything a run measured: one row per (workload, sink, client), holding each metric
// as min / median / max over repetitions, or the reason there is no number.
import type { ClientSpec } from '../clients/client-specs';
import type { Summary } from '../statistics';

/** Every metric the bench reports, with its unit. Lower is better unless `higherIsBetter`. */
export const METRICS = {
  messagesPerSecond: { label: 'msg/s', higherIsBetter: true },
  clientCpuMsPerMessage: { label: 'client CPU ms/msg', higherIsBetter: false },
  sinkCpuMsPerMessage: { label: 'sink CPU ms/msg', higherIsBetter: false },
  peakRssMb: { label: 'client peak RSS MB', higherIsBetter: false },
  clientBusyPercent: { label: 'client CPU busy %', higherIsBetter: false },
  sinkBusyPercent: { label: 'sink CPU busy %', higherIsBetter: false },
  rssAddedMb: { label: 'RSS added by the message MB', higherIsBetter: false },
  peakHeapMb: { label: 'peak JS heap MB', higherIsBetter: false },
  peakArrayBuffersMb: { label: 'peak Buffer memory MB', higherIsBetter: false },
  seconds: { label: 'seconds', higherIsBetter: false },
  megabytesPerSecond: { label: 'MB/s', higherIsBetter: true },
  clientCpuMs: { label: 'client CPU ms', higherIsBetter: false },
  sinkCpuMs: { label: 'sink CPU ms', higherIsBetter: false },
  latencyMs: { label: 'latency ms (loopback)', higherIsBetter: false },
  latencyDelayedMs: { label: 'latency ms (20 ms round trip)', higherIsBetter: false },
  clientCpuMsPerSend: { label: 'client CPU ms/send', higherIsBetter: false },
  sinkCpuMsPerSend: { label: 'sink CPU ms/send', higherIsBetter: false },
  roundTripsPerMessage: { label: 'round trips/msg', higherIsBetter: false },
  roundTripsPerSend: { label: 'round trips/send', higherIsBetter: false },
  startStopMs: { label: 'start+stop ms', higherIsBetter: false },
} as const;

export type MetricName = keyof typeof METRICS;

export interface ResultRow {
  /** Workload id, e.g. `throughput`, `five-recipients`, `large-message`, `cold`, `round-trips`, `harness`. */
  readonly workload: string;
  readonly sink: string;
  readonly client: ClientSpec | null;
  readonly status: 'measured' | 'unavailable' | 'failed';
  readonly reason?: string;
  readonly metrics: Partial<Record<MetricName, Summary>>;
  /** The raw per-repetition values behind each summary, for the JSON report. */
  readonly samples: Partial<Record<MetricName, number[]>>;
}

export interface WorkloadDefinition {
  readonly id: string;
  readonly title: string;
  /** What the workload does and what limits its figures, one paragraph. */
  readonly description: string;
  readonly columns: readonly MetricName[];
}

// The workloads of the issue, each a function from the run's context to result rows. Sizes come from
// the options (quick or full); which clients run which workload is decided here, in one place.
import { CLIENT_SPECS, type ClientSpec, deliversToSink } from '../clients/client-specs';
import type { BenchOptions } from '../options';
import { startDelayProxy } from '../proxy/delay-proxy';
import { roundTripsPerOperation } from '../proxy/round-trips';
import type { JobTarget, JobWork } from '../runner/job';
import { runJob } from '../runner/run-job';
import type { Sink } from '../sink/sink';
import { BENCH_CREDENTIALS } from '../sink/sink';
import { summarize } from '../statistics';
import { measureClients, rotate, toRow } from './measure';
import type { MetricName, ResultRow } from './results';

export interface SuiteContext {
  readonly options: BenchOptions;
  readonly sinks: { readonly fast: Sink; readonly fastData: Sink; readonly smtpServer: Sink };
  readonly caPem: string;
  readonly log: (line: string) => void;
}

const BYTES_PER_MB = 1024 * 1024;
const SMALL_MESSAGE_BYTES = 2048;
/** Sends outstanding at once for pooled clients: enough to keep every pipeline full. */
const POOLED_IN_FLIGHT = 256;

const C = CLIENT_SPECS;
const POOLED = [
  C.nodemailerPool1,
  C.nodemailerPool4,
  C.corePool1,
  C.corePool4,
  C.transportPool1,
  C.transportPool4,
];
const POOL_OF_FOUR = [C.nodemailerPool4, C.corePool4, C.transportPool4];
const POOL_OF_ONE = [C.nodemailerPool1, C.corePool1, C.transportPool1];
const UNPOOLED = [C.nodemailer, C.coreNoPool, C.transportNoPool];

/** The clients of a workload that `--clients` lets through (all when it is empty). */
function selected(context: SuiteContext, clients: readonly ClientSpec[]): ClientSpec[] {
  const wanted = context.options.clients;
  return clients.filter((client) => wanted.length === 0 || wanted.some((name) => client.id.includes(name)));
}

function target(sink: Sink, caPem: string, port = sink.port): JobTarget {
  return { host: sink.host, port, caPem, user: BENCH_CREDENTIALS.user, pass: BENCH_CREDENTIALS.pass };
}

function batchMetrics(outcome: {
  result: { wallMs: number; cpuMs: number; maxRssKb: number; operations: number };
  sinkCpuMs: number;
}) {
  const { result } = outcome;
  return {
    messagesPerSecond: (result.operations / result.wallMs) * 1000,
    clientCpuMsPerMessage: result.cpuMs / result.operations,
    sinkCpuMsPerMessage: outcome.sinkCpuMs / result.operations,
    peakRssMb: result.maxRssKb / 1024,
    // CPU time over wall time: near 100 % the side is CPU-bound; both well below means waiting
    // (pipeline depth, wake-ups between the two processes, or other load on the machine).
    clientBusyPercent: (result.cpuMs / result.wallMs) * 100,
    sinkBusyPercent: (outcome.sinkCpuMs / result.wallMs) * 100,
  };
}

/** Clients that pay a TLS handshake per message send fewer, one after another. */
function oneConnectionPerMessage(client: ClientSpec): boolean {
  return client.pool === false && deliversToSink(client);
}

function throughputMessages(options: BenchOptions, client: ClientSpec): number {
  return oneConnectionPerMessage(client) ? options.unpooledMessages : options.batchMessages;
}

/** The throughput job for one client: a warm-up batch, then the measured batch. */
export function throughputWork(options: BenchOptions, client: ClientSpec): JobWork {
  return {
    type: 'batch',
    messages: throughputMessages(options, client),
    warmupMessages: oneConnectionPerMessage(client) ? 5 : 50,
    recipients: 1,
    messageBytes: SMALL_MESSAGE_BYTES,
    inFlight: oneConnectionPerMessage(client) ? 1 : POOLED_IN_FLIGHT,
  };
}

/** The cold-send job: a few untimed sends, then `coldIterations` timed ones, each with a fresh client. */
export function coldWork(options: BenchOptions): JobWork {
  return { type: 'cold', iterations: options.coldIterations, warmupIterations: 3 };
}

export async function runThroughput(context: SuiteContext): Promise<ResultRow[]> {
  const { options, sinks, caPem } = context;
  const rows: ResultRow[] = [];
  for (const sink of [sinks.fast, sinks.smtpServer]) {
    context.log(`throughput on ${sink.name}`);
    // Unpooled on smtp-server would only measure its 100 ms greeting delay (about 9 msg/s): left out.
    const clients = selected(
      context,
      sink === sinks.fast ? [C.nodemailer, ...POOLED, C.mailLayer] : POOL_OF_FOUR,
    );
    rows.push(
      ...(await measureClients({
        workload: 'throughput',
        sink,
        target: target(sink, caPem),
        clients,
        repetitions: options.repetitions,
        work: (client) => throughputWork(options, client),
        expectSinkMessages: (client) => (deliversToSink(client) ? throughputMessages(options, client) : 0),
        metrics: batchMetrics,
        log: context.log,
      })),
    );
  }
  return rows;
}

export async function runFiveRecipients(context: SuiteContext): Promise<ResultRow[]> {
  const { options, sinks, caPem } = context;
  context.log('five recipients on fast');
  return measureClients({
    workload: 'five-recipients',
    sink: sinks.fast,
    target: target(sinks.fast, caPem),
    clients: selected(context, POOL_OF_FOUR),
    repetitions: options.repetitions,
    work: () => ({
      type: 'batch',
      messages: options.fiveRecipientMessages,
      warmupMessages: 50,
      recipients: 5,
      messageBytes: SMALL_MESSAGE_BYTES,
      inFlight: POOLED_IN_FLIGHT,
    }),
    expectSinkMessages: () => options.fiveRecipientMessages,
    metrics: batchMetrics,
    log: context.log,
  });
}

export async function runLargeMessage(context: SuiteContext): Promise<ResultRow[]> {
  const { options, sinks, caPem } = context;
  context.log(`one ${options.largeMessageBytes / BYTES_PER_MB} MB message on fast`);
  return measureClients({
    workload: 'large-message',
    sink: sinks.fast,
    target: target(sinks.fast, caPem),
    clients: selected(context, POOL_OF_ONE),
    repetitions: Math.max(2, Math.ceil(options.repetitions / 2)),
    work: () => ({ type: 'large', messageBytes: options.largeMessageBytes }),
    expectSinkMessages: () => 1,
    metrics: ({ result, sinkCpuMs }) => ({
      seconds: result.wallMs / 1000,
      megabytesPerSecond: options.largeMessageBytes / BYTES_PER_MB / (result.wallMs / 1000),
      rssAddedMb: (result.maxRssKb - result.maxRssBeforeKb) / 1024,
      peakRssMb: result.maxRssKb / 1024,
      peakHeapMb: result.memoryPeakMb?.heapUsed ?? Number.NaN,
      peakArrayBuffersMb: result.memoryPeakMb?.arrayBuffers ?? Number.NaN,
      clientCpuMs: result.cpuMs,
      sinkCpuMs,
    }),
    log: context.log,
  });
}

export async function runCold(context: SuiteContext): Promise<ResultRow[]> {
  const { options, sinks, caPem } = context;
  context.log('cold sends on fast');
  const rows = await measureClients({
    workload: 'cold',
    sink: sinks.fast,
    target: target(sinks.fast, caPem),
    clients: selected(context, UNPOOLED),
    repetitions: options.repetitions,
    work: () => coldWork(options),
    expectSinkMessages: () => options.coldIterations,
    metrics: ({ result, sinkCpuMs }) => ({
      latencyMs: result.samplesMs,
      clientCpuMsPerSend: result.cpuMs / result.operations,
      sinkCpuMsPerSend: sinkCpuMs / result.operations,
    }),
    log: context.log,
  });
  context.log('cold sends through the delay proxy');
  const iterations = Math.max(5, Math.round(options.coldIterations / 3));
  const roundTrips = await roundTripsThroughProxy(
    context,
    sinks.fast,
    selected(context, UNPOOLED),
    (proxyPort) => ({
      target: target(sinks.fast, caPem, proxyPort),
      work: { type: 'cold', iterations, warmupIterations: 1 },
      operations: iterations,
      // Per send, from the fastest send of each run: scheduling noise only ever adds time, so the
      // minimum is the least disturbed measurement of the same fixed sequence of waits.
      wall: (result) => summarize(result.samplesMs).min * iterations,
    }),
  );
  return rows.map((row) => {
    const extra = roundTrips.get(row.client!.id);
    if (row.status !== 'measured' || extra === undefined) return row;
    return {
      ...row,
      metrics: {
        ...row.metrics,
        roundTripsPerSend: summarize(extra.roundTrips),
        latencyDelayedMs: summarize(extra.delayedSamplesMs),
      },
      samples: {
        ...row.samples,
        roundTripsPerSend: extra.roundTrips,
        latencyDelayedMs: extra.delayedSamplesMs,
      },
    };
  });
}

type ProxyPlan = (proxyPort: number) => {
  target: JobTarget;
  work: Parameters<typeof runJob>[0]['work'];
  operations: number;
  wall: (result: { wallMs: number; samplesMs: readonly number[] }) => number;
};

interface ProxyMeasurements {
  /** Round trips per operation, one value per repetition. */
  readonly roundTrips: number[];
  /** Per-operation times behind the delaying proxy (cold sends only; empty for batches). */
  readonly delayedSamplesMs: number[];
}

/** Runs each client behind a zero-delay and a delaying proxy, alternating, and returns round trips per operation. */
async function roundTripsThroughProxy(
  context: SuiteContext,
  sink: Sink,
  clients: readonly ClientSpec[],
  plan: ProxyPlan,
): Promise<Map<string, ProxyMeasurements>> {
  const { options } = context;
  const baseline = await startDelayProxy(sink, 0);
  const delayed = await startDelayProxy(sink, options.roundTripDelayMs);
  const results = new Map<string, ProxyMeasurements>();
  const unavailable = new Set<string>();
  try {
    for (let repetition = 0; repetition < options.proxyRepetitions; repetition++) {
      for (const client of rotate(clients, repetition)) {
        if (unavailable.has(client.id)) continue;
        const walls: number[] = [];
        let delayedSamples: readonly number[] = [];
        for (const proxy of [baseline, delayed]) {
          const step = plan(proxy.port);
          const outcome = await runJob({ client, target: step.target, work: step.work }, sink, {
            expectSinkMessages: step.operations,
          });
          if (outcome.status !== 'measured') {
            if (outcome.status === 'unavailable') unavailable.add(client.id);
            else context.log(`  ${client.label} behind the proxy: FAILED: ${outcome.reason}`);
            break;
          }
          walls.push(step.wall(outcome.result));
          delayedSamples = outcome.result.samplesMs;
        }
        if (walls.length !== 2) continue;
        const value = roundTripsPerOperation({
          baselineMs: walls[0]!,
          delayedMs: walls[1]!,
          delayMs: delayed.appliedDelayMs(),
          operations: plan(delayed.port).operations,
        });
        const entry = results.get(client.id) ?? { roundTrips: [], delayedSamplesMs: [] };
        entry.roundTrips.push(value);
        entry.delayedSamplesMs.push(...delayedSamples);
        results.set(client.id, entry);
      }
    }
  } finally {
    await baseline.close();
    await delayed.close();
  }
  return results;
}

export async function runRoundTrips(context: SuiteContext): Promise<ResultRow[]> {
  const { options, sinks, caPem } = context;
  const rows: ResultRow[] = [];
  for (const sink of [sinks.fast, sinks.fastData]) {
    context.log(`round trips on ${sink.name} (delay ${options.roundTripDelayMs} ms)`);
    const results = await roundTripsThroughProxy(
      context,
      sink,
      selected(context, POOL_OF_ONE),
      (proxyPort) => ({
        target: target(sink, caPem, proxyPort),
        work: {
          type: 'batch',
          messages: options.roundTripMessages,
          warmupMessages: 5,
          recipients: 1,
          messageBytes: SMALL_MESSAGE_BYTES,
          inFlight: POOLED_IN_FLIGHT,
        },
        operations: options.roundTripMessages,
        wall: (result) => result.wallMs,
      }),
    );
    for (const client of selected(context, POOL_OF_ONE)) {
      const values = results.get(client.id)?.roundTrips;
      rows.push(
        toRow('round-trips', sink.name, client, {
          values: values === undefined ? {} : { roundTripsPerMessage: values },
          ...(values === undefined
            ? { problem: { status: 'unavailable', reason: 'no measurement (see the log above)' } }
            : {}),
        }),
      );
    }
  }
  return rows;
}

export async function runHarness(context: SuiteContext): Promise<ResultRow[]> {
  const { options, sinks, caPem } = context;
  context.log('harness start/stop');
  const outcome = await runJob(
    {
      client: C.coreNoPool,
      target: target(sinks.fast, caPem),
      work: { type: 'harness', iterations: options.harnessIterations },
    },
    undefined,
  );
  const values: Partial<Record<MetricName, number[]>> =
    outcome.status === 'measured' ? { startStopMs: [...outcome.result.samplesMs] } : {};
  if (outcome.status !== 'measured') context.log(`  harness: ${outcome.status}: ${outcome.reason}`);
  return [
    toRow('harness', 'mock-server', null, {
      values,
      ...(outcome.status === 'measured' ? {} : { problem: outcome }),
    }),
  ];
}

export const WORKLOAD_RUNNERS: Record<string, (context: SuiteContext) => Promise<ResultRow[]>> = {
  throughput: runThroughput,
  'five-recipients': runFiveRecipients,
  'large-message': runLargeMessage,
  cold: runCold,
  'round-trips': runRoundTrips,
  harness: runHarness,
};

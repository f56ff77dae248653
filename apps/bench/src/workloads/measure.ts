// The measuring loop every workload shares: repetitions outside, clients inside in an order that
// rotates with each repetition (so no client always runs first, right after a sink warmed up, or
// last), one fresh process per (repetition, client). A client found unavailable is not retried.
import type { ClientSpec } from '../clients/client-specs';
import type { JobTarget, JobWork } from '../runner/job';
import { type JobOutcome, runJob } from '../runner/run-job';
import type { Sink } from '../sink/sink';
import { summarize } from '../statistics';
import type { MetricName, ResultRow } from './results';

export type MetricValues = Partial<Record<MetricName, number | readonly number[]>>;

export interface MeasureRequest {
  readonly workload: string;
  readonly sink: Sink;
  /** Where the client connects: the sink itself, or a proxy in front of it. */
  readonly target: JobTarget;
  readonly clients: readonly ClientSpec[];
  readonly repetitions: number;
  readonly work: (client: ClientSpec) => JobWork;
  /** Messages the sink must accept per job, or undefined when the job sends nothing to this sink. */
  readonly expectSinkMessages?: (client: ClientSpec) => number | undefined;
  readonly metrics: (
    outcome: Extract<JobOutcome, { status: 'measured' }>,
    client: ClientSpec,
  ) => MetricValues;
  readonly log: (line: string) => void;
}

export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const offset = by % items.length;
  return [...items.slice(offset), ...items.slice(0, offset)];
}

export async function measureClients(request: MeasureRequest): Promise<ResultRow[]> {
  const collected = new Map<
    string,
    { values: Partial<Record<MetricName, number[]>>; problem?: JobOutcome }
  >();
  for (const client of request.clients) collected.set(client.id, { values: {} });
  for (let repetition = 0; repetition < request.repetitions; repetition++) {
    for (const client of rotate(request.clients, repetition)) {
      const entry = collected.get(client.id)!;
      if (entry.problem?.status === 'unavailable') continue;
      const outcome = await runJob(
        { client, target: request.target, work: request.work(client) },
        request.sink,
        { expectSinkMessages: request.expectSinkMessages?.(client) },
      );
      if (outcome.status !== 'measured') {
        entry.problem = outcome;
        request.log(
          `  ${client.label}: ${outcome.status === 'unavailable' ? 'not available yet' : 'FAILED'}: ${outcome.reason}`,
        );
        continue;
      }
      for (const [name, value] of Object.entries(request.metrics(outcome, client))) {
        const list = entry.values[name as MetricName] ?? [];
        entry.values[name as MetricName] = list;
        if (typeof value === 'number') list.push(value);
        else list.push(...(value as readonly number[]));
      }
    }
  }
  return request.clients.map((client) =>
    toRow(request.workload, request.sink.name, client, collected.get(client.id)!),
  );
}

export function toRow(
  workload: string,
  sink: string,
  client: ClientSpec | null,
  entry: { values: Partial<Record<MetricName, number[]>>; problem?: JobOutcome },
): ResultRow {
  const names = Object.keys(entry.values) as MetricName[];
  const measured = names.some((name) => (entry.values[name]?.length ?? 0) > 0);
  if (!measured || entry.problem !== undefined) {
    const problem = entry.problem;
    return {
      workload,
      sink,
      client,
      status: problem?.status === 'unavailable' ? 'unavailable' : 'failed',
      reason: problem !== undefined && problem.status !== 'measured' ? problem.reason : 'no measurement',
      metrics: {},
      samples: entry.values,
    };
  }
  const metrics: ResultRow['metrics'] = {};
  for (const name of names) metrics[name] = summarize(entry.values[name]!);
  return { workload, sink, client, status: 'measured', metrics, samples: entry.values };
}

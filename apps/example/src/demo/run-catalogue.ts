// Runs every scenario of the attack catalogue (@strictmail/mock-server), in every mode it supports,
// against every demo client, and collects the mock server's verdicts. Rule: the verdict is the audit's
// (what the client claimed, what crossed the wire, what was delivered); this file only schedules runs,
// bounds each with a deadline, and remembers the error code the client gave when it refused.
import { listScenarios, type ScenarioVerdict, startScenario } from '@strictmail/mock-server';
import type { DemoClient } from './demo-clients';

/** Runs in flight at once: the work is loopback I/O and TLS handshakes, so 4 keeps 2 cores busy. */
export const CATALOGUE_CONCURRENCY = 4;
/** A client that has not settled after 20 s is recorded as hung; its own timeouts are shorter. */
export const CLIENT_DEADLINE_MS = 20_000;

export interface CatalogueRun {
  readonly clientId: DemoClient['id'];
  readonly verdict: ScenarioVerdict;
  /** The code of the error the client refused with (strictmail's own code when there is one). */
  readonly errorCode: string | undefined;
}

export interface CatalogueOptions {
  readonly clients: readonly DemoClient[];
  /** Only these scenario ids (default: the whole catalogue). */
  readonly scenarioIds?: readonly string[] | undefined;
  readonly onProgress?: ((done: number, total: number, label: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

interface Job {
  readonly scenarioId: string;
  readonly mode: 'starttls' | 'implicit';
  readonly client: DemoClient;
}

function errorCodeOf(error: unknown): string | undefined {
  const fields = error as { strictmailCode?: unknown; code?: unknown };
  if (typeof fields?.strictmailCode === 'string') return fields.strictmailCode;
  return typeof fields?.code === 'string' ? fields.code : undefined;
}

async function runJob(job: Job, signal: AbortSignal | undefined): Promise<CatalogueRun> {
  const running = await startScenario(job.scenarioId, { mode: job.mode });
  try {
    const deadline = AbortSignal.timeout(CLIENT_DEADLINE_MS);
    const clientSignal = signal === undefined ? deadline : AbortSignal.any([deadline, signal]);
    const started = performance.now();
    let claimedSuccess = false;
    let errorCode: string | undefined;
    try {
      await job.client.send(
        {
          host: running.host,
          port: running.port,
          security: running.security,
          ca: running.ca,
          user: running.secrets.user,
          password: running.secrets.password,
          from: running.secrets.from,
          to: running.secrets.to,
          subject: running.secrets.subject,
          body: running.secrets.body,
        },
        clientSignal,
      );
      claimedSuccess = true;
    } catch (error) {
      errorCode = errorCodeOf(error);
    }
    const verdict = await running.verdict({
      claimedSuccess,
      timedOut: deadline.aborted,
      durationMs: Math.round(performance.now() - started),
    });
    return { clientId: job.client.id, verdict, errorCode };
  } finally {
    await running.close();
  }
}

export async function runCatalogue(options: CatalogueOptions): Promise<CatalogueRun[]> {
  const wanted = options.scenarioIds === undefined ? undefined : new Set(options.scenarioIds);
  const jobs: Job[] = [];
  for (const scenario of listScenarios()) {
    if (wanted !== undefined && !wanted.has(scenario.id)) continue;
    for (const mode of scenario.modes) {
      for (const client of options.clients) jobs.push({ scenarioId: scenario.id, mode, client });
    }
  }
  const runs: CatalogueRun[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      const job = jobs[index] as Job;
      runs[index] = await runJob(job, options.signal);
      done += 1;
      options.onProgress?.(done, jobs.length, `${job.client.label} × ${job.scenarioId} (${job.mode})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CATALOGUE_CONCURRENCY, jobs.length) }, worker));
  return runs;
}

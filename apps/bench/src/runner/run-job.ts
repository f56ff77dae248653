// Runs one job in a fresh client process and measures the sink beside it. Between the child's
// `ready` and its `result` the runner does nothing but serve the sink (and the proxy, when one is in
// the path), so the runner's CPU time over that window is the sink's CPU time. The sink's message
// counter must grow by exactly what the client claims it sent: a client that "sent" messages the sink
// never accepted fails the job instead of producing a number.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Sink } from '../sink/sink';
import type { ChildMessage, Job, JobResult } from './job';

export type JobOutcome =
  | {
      readonly status: 'measured';
      readonly result: JobResult;
      /** Runner (sink, and proxy if any) CPU time over the measured part, in milliseconds. */
      readonly sinkCpuMs: number;
      /** Messages the sink accepted during the measured part. */
      readonly sinkMessages: number;
    }
  | { readonly status: 'unavailable'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

/** A child that has not answered in this long is stuck (the longest quick job takes a few seconds). */
const JOB_TIMEOUT_MS = 180_000;

const CLIENT_PROCESS = fileURLToPath(new URL('./client-process.js', import.meta.url));

export interface RunJobOptions {
  /** Extra node flags for the child, e.g. `--cpu-prof` when profiling. */
  readonly execArgv?: readonly string[];
  /** Whether the sink must have accepted one message per operation (false for the harness job). */
  readonly expectSinkMessages?: number;
}

/**
 * Other packages of the monorepo may be rebuilding (tsup empties dist first) while the bench runs:
 * a client whose module is missing is retried this many times, this long apart, before it counts
 * as not available.
 */
const MISSING_MODULE_RETRIES = 3;
const MISSING_MODULE_RETRY_DELAY_MS = 5_000;

export async function runJob(
  job: Job,
  sink: Sink | undefined,
  options: RunJobOptions = {},
): Promise<JobOutcome> {
  let outcome = await runJobOnce(job, sink, options);
  for (let attempt = 0; attempt < MISSING_MODULE_RETRIES && isMissingModule(outcome); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, MISSING_MODULE_RETRY_DELAY_MS));
    outcome = await runJobOnce(job, sink, options);
  }
  return outcome;
}

function isMissingModule(outcome: JobOutcome): boolean {
  return outcome.status === 'unavailable' && /Cannot find module|ERR_MODULE_NOT_FOUND/.test(outcome.reason);
}

function runJobOnce(job: Job, sink: Sink | undefined, options: RunJobOptions): Promise<JobOutcome> {
  return new Promise((resolve) => {
    const child = fork(CLIENT_PROCESS, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...(options.execArgv ?? [])],
    });
    let settled = false;
    let cpuBefore = process.cpuUsage();
    let messagesBefore = 0;
    const settle = (outcome: JobOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ status: 'failed', reason: `no answer within ${JOB_TIMEOUT_MS} ms` });
    }, JOB_TIMEOUT_MS);
    child.on('message', (message: ChildMessage) => {
      switch (message.type) {
        case 'ready':
          messagesBefore = sink?.counters().messages ?? 0;
          cpuBefore = process.cpuUsage();
          child.send({ type: 'go' });
          return;
        case 'result': {
          const cpu = process.cpuUsage(cpuBefore);
          const sinkMessages = (sink?.counters().messages ?? 0) - messagesBefore;
          const expected = options.expectSinkMessages;
          if (expected !== undefined && sinkMessages !== expected) {
            settle({
              status: 'failed',
              reason: `the client reported ${expected} messages sent but the sink accepted ${sinkMessages}`,
            });
            return;
          }
          settle({
            status: 'measured',
            result: message.result,
            sinkCpuMs: (cpu.user + cpu.system) / 1000,
            sinkMessages,
          });
          return;
        }
        case 'unavailable':
          settle({ status: 'unavailable', reason: message.reason });
          return;
        case 'failed':
          settle({ status: 'failed', reason: message.message });
          return;
      }
    });
    child.on('exit', (code, signal) => {
      settle({ status: 'failed', reason: `client process exited (${signal ?? code}) before reporting` });
    });
    child.send({ type: 'job', job });
  });
}

// The child process that runs one client for one measurement. The runner forks it, sends a `job`,
// and this process warms the client up, reports `ready`, waits for `go`, runs the measured part and
// reports wall time, its own CPU time (process.cpuUsage) and peak RSS (resourceUsage().maxRSS).
// It never prints a number it did not measure: a missing package is reported as `unavailable`.
import { performance } from 'node:perf_hooks';
import { type ClientAdapter, ClientUnavailableError, createAdapter } from './clients/client-adapters';
import { runHarnessCycles } from './clients/harness-cycles';
import { buildMessage, largeMessageStream, recipients, SENDER } from './clients/messages';
import type { ChildMessage, Job, JobResult, ParentMessage } from './runner/job';

const BYTES_PER_MB = 1024 * 1024;
/** How often the large-message job samples heap and buffer memory: often enough to see a 64 KiB-chunk pile-up. */
const MEMORY_SAMPLE_INTERVAL_MS = 5;

function post(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

let resolveGo: (() => void) | undefined;
const go = new Promise<void>((resolve) => {
  resolveGo = resolve;
});

async function measured(operations: number, run: () => Promise<readonly number[]>): Promise<JobResult> {
  const maxRssBeforeKb = process.resourceUsage().maxRSS;
  await post({ type: 'ready' });
  await go;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const samplesMs = await run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    maxRssBeforeKb,
    operations,
    samplesMs,
  };
}

/** Sends `count` copies with at most `inFlight` outstanding, like an application draining a queue. */
async function sendMany(
  adapter: ClientAdapter,
  count: number,
  inFlight: number,
  to: readonly string[],
  message: Buffer,
): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      await adapter.send({ from: SENDER, to }, message);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

async function runJob(job: Job): Promise<JobResult> {
  const { work, client, target } = job;
  switch (work.type) {
    case 'batch': {
      const to = recipients(work.recipients);
      const message = buildMessage(work.messageBytes, to);
      const adapter = await createAdapter(client, target);
      await sendMany(adapter, work.warmupMessages, work.inFlight, to, message);
      const result = await measured(work.messages, async () => {
        await sendMany(adapter, work.messages, work.inFlight, to, message);
        return [];
      });
      await adapter.close();
      return result;
    }
    case 'large': {
      const to = recipients(1);
      const adapter = await createAdapter(client, target);
      // A small message first, so the connection, TLS and code paths are in the baseline RSS.
      await adapter.send({ from: SENDER, to }, buildMessage(2048, to));
      const peak = { heapUsed: 0, arrayBuffers: 0 };
      const sample = () => {
        const usage = process.memoryUsage();
        peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed / BYTES_PER_MB);
        peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers / BYTES_PER_MB);
      };
      const result = await measured(1, async () => {
        const sampler = setInterval(sample, MEMORY_SAMPLE_INTERVAL_MS);
        try {
          await adapter.send({ from: SENDER, to }, largeMessageStream(work.messageBytes, to));
        } finally {
          clearInterval(sampler);
          sample();
        }
        return [];
      });
      await adapter.close();
      return { ...result, memoryPeakMb: peak };
    }
    case 'cold': {
      const to = recipients(1);
      const message = buildMessage(2048, to);
      const once = async () => {
        const started = performance.now();
        const adapter = await createAdapter(client, target);
        await adapter.send({ from: SENDER, to }, message);
        await adapter.close();
        return performance.now() - started;
      };
      for (let index = 0; index < work.warmupIterations; index++) await once();
      return measured(work.iterations, async () => {
        const samples: number[] = [];
        for (let index = 0; index < work.iterations; index++) samples.push(await once());
        return samples;
      });
    }
    case 'harness':
      return runHarnessCycles(work.iterations, measured);
  }
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'go') {
    resolveGo?.();
    return;
  }
  runJob(message.job).then(
    (result) => post({ type: 'result', result }).then(leave),
    (error: unknown) => {
      const reply: ChildMessage =
        error instanceof ClientUnavailableError
          ? { type: 'unavailable', reason: error.message }
          : { type: 'failed', message: describe(error) };
      post(reply).then(leave);
    },
  );
});

/**
 * A client that leaves a socket or timer behind must not keep a process per measurement alive: after
 * the report, the process gets this long to exit by itself (it normally exits at once).
 */
const EXIT_GRACE_MS = 5_000;

function leave(): void {
  process.disconnect();
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${code === undefined ? '' : ` ${String(code)}`}: ${error.message}`;
}

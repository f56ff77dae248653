// Measures how long a mock server takes to start and stop, after the first one (which pays for the
// process-wide CA and leaf certificate). Not part of the test run: timings belong in a bench, not in
// assertions. Run it with `pnpm --filter @strictmail/mock-server bench` (vitest bench).

import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { connect } from 'node:tls';
import { createMockSmtpServer } from '../src/index';
import type { ServerMode } from '../src/server/options';

export interface StartStopResult {
  readonly mode: ServerMode;
  readonly iterations: number;
  /** Start + stop of the first server (pays for the shared CA and leaf), in ms. */
  readonly firstMs: number;
  /** Median and 95th percentile of start + stop of the servers after the first, in ms. */
  readonly medianMs: number;
  readonly p95Ms: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** Starts and stops `iterations + 1` servers one after another and reports the timings. */
export async function measureStartStop(
  mode: ServerMode = 'starttls',
  iterations = 200,
): Promise<StartStopResult> {
  const timeOne = async () => {
    const started = performance.now();
    const server = await createMockSmtpServer({ mode });
    await server.close();
    return performance.now() - started;
  };
  const firstMs = await timeOne();
  const samples: number[] = [];
  for (let index = 0; index < iterations; index += 1) samples.push(await timeOne());
  samples.sort((a, b) => a - b);
  return { mode, iterations, firstMs, medianMs: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95) };
}

/** Time from TCP connect to the 220 greeting over implicit TLS (handshake included), in ms. */
export async function measureGreeting(iterations = 50): Promise<{ medianMs: number; p95Ms: number }> {
  const server = await createMockSmtpServer({ mode: 'implicit-tls' });
  try {
    const samples: number[] = [];
    for (let index = 0; index < iterations; index += 1) {
      const started = performance.now();
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: server.ca, minVersion: 'TLSv1.2' });
      await once(socket, 'data');
      samples.push(performance.now() - started);
      socket.destroy();
      await once(socket, 'close');
    }
    samples.sort((a, b) => a - b);
    return { medianMs: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95) };
  } finally {
    await server.close();
  }
}

export function formatStartStop(result: StartStopResult): string {
  return (
    `mock-server ${result.mode}: first start+stop ${result.firstMs.toFixed(1)} ms; ` +
    `next ${result.iterations}: median ${result.medianMs.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms`
  );
}

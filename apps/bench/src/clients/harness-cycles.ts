// The harness workload: how long @strictmail/mock-server takes to start a TLS (STARTTLS) mock server on
// port 0 and stop it again, once the process has created its first one (certificates and modules are
// then warm; the first start pays the CA and key generation and is not counted).
import { performance } from 'node:perf_hooks';
import type { JobResult } from '../runner/job';
import { ClientUnavailableError } from './client-adapters';

const MOCK_SERVER = '@strictmail/mock-server';

interface MockServerContract {
  createMockSmtpServer(options: {
    mode: 'starttls';
  }): Promise<{ close?: () => Promise<void>; stop?: () => Promise<void> }>;
}

export async function runHarnessCycles(
  iterations: number,
  measured: (operations: number, run: () => Promise<readonly number[]>) => Promise<JobResult>,
): Promise<JobResult> {
  let module: Partial<MockServerContract>;
  try {
    module = (await import(MOCK_SERVER)) as Partial<MockServerContract>;
  } catch (error) {
    throw new ClientUnavailableError(`${MOCK_SERVER} cannot be imported (${(error as Error).message})`);
  }
  const create = module.createMockSmtpServer;
  if (typeof create !== 'function') {
    throw new ClientUnavailableError(`${MOCK_SERVER} does not export createMockSmtpServer() yet`);
  }
  const cycle = async () => {
    const started = performance.now();
    const server = await create({ mode: 'starttls' });
    await (server.close ?? server.stop)!.call(server);
    return performance.now() - started;
  };
  await cycle();
  return measured(iterations, async () => {
    const samples: number[] = [];
    for (let index = 0; index < iterations; index++) samples.push(await cycle());
    return samples;
  });
}

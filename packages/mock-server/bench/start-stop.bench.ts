// `pnpm --filter @strictmail/mock-server bench`: prints start+stop and greeting latency of mock servers.
// vitest's bench table covers the steady state; the summary lines also report the first server.
import { bench, describe } from 'vitest';
import { createMockSmtpServer } from '../src/index';
import { formatStartStop, measureGreeting, measureStartStop } from './start-stop';

describe('mock server start + stop', async () => {
  for (const mode of ['starttls', 'implicit-tls', 'plaintext'] as const) {
    console.log(formatStartStop(await measureStartStop(mode)));
  }
  const greeting = await measureGreeting();
  console.log(
    `mock-server implicit-tls: connect to 220 (TLS handshake included): median ${greeting.medianMs.toFixed(2)} ms, p95 ${greeting.p95Ms.toFixed(2)} ms`,
  );

  bench('STARTTLS server (shared CA, reused ECDSA leaf)', async () => {
    const server = await createMockSmtpServer();
    await server.close();
  });
  bench('implicit-TLS server', async () => {
    const server = await createMockSmtpServer({ mode: 'implicit-tls' });
    await server.close();
  });
});

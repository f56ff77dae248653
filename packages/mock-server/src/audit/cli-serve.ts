// `strictmail-mock serve --scenario ID`: one scenario for a client in any language, driven by hand or by
// another test runner. Prints one ready line (JSON with --json) with everything the client needs, runs
// until SIGINT or SIGTERM, then prints what it observed (leaks, deliveries, TLS) on stderr and exits.
// It cannot know whether the client claimed success, so it prints observations, not a verdict.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioError } from '../attacks/scenario-error';
import type { SecurityMode } from '../attacks/scenario-types';
import { startScenario } from '../attacks/start-scenario';
import { findLeaks } from './leak-detector';

export interface ServeOptions {
  readonly scenario: string;
  readonly mode?: SecurityMode;
  readonly port?: number;
  readonly json: boolean;
}

export async function serve(options: ServeOptions, signal: AbortSignal): Promise<number> {
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)
  ) {
    throw new ScenarioError(
      'INVALID_OPTION',
      `--port must be an integer from 0 to 65535; got ${options.port}. Use 0 to let the system pick a free port.`,
    );
  }
  const running = await startScenario(options.scenario, {
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  const directory = await mkdtemp(join(tmpdir(), 'strictmail-serve-'));
  try {
    const caFile = join(directory, 'ca.pem');
    const bodyFile = join(directory, 'body.txt');
    await writeFile(caFile, running.ca);
    await writeFile(bodyFile, running.secrets.body);
    const { secrets } = running;
    const ready = {
      event: 'ready',
      scenario: running.scenario.id,
      tier: running.scenario.tier,
      expectation: running.scenario.expectation,
      host: running.host,
      port: running.port,
      security: running.security,
      caFile,
      bodyFile,
      secrets: {
        user: secrets.user,
        password: secrets.password,
        from: secrets.from,
        to: secrets.to,
        subject: secrets.subject,
        bodyMarker: secrets.bodyMarker,
      },
    };
    process.stdout.write(
      options.json
        ? `${JSON.stringify(ready)}\n`
        : `ready: ${running.scenario.id} (${running.security}) on ${running.host}:${running.port}; trust only ${caFile}; user ${secrets.user} password ${secrets.password}; from ${secrets.from} to ${secrets.to.join(',')}; body ${bodyFile}\n`,
    );
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    const leaks = findLeaks(running.connections, secrets, running.endpointDefective);
    const observed = {
      event: 'stopped',
      connections: running.connections.length,
      delivered: running.messages.filter((message) => message.raw.includes(secrets.bodyMarker)).length,
      leaks,
      tls: running.connections.map((record) => record.tls ?? null),
    };
    process.stderr.write(
      options.json
        ? `${JSON.stringify(observed)}\n`
        : `stopped: ${observed.connections} connection(s), ${observed.delivered} message(s) delivered, leaks: ${leaks.map((leak) => `${leak.secret} (${leak.channel})`).join(', ') || 'none'}\n`,
    );
    return 0;
  } finally {
    await running.close();
    await rm(directory, { recursive: true, force: true });
  }
}

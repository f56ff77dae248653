// Starts one scenario of the catalogue: a sink server, the attack endpoint in front of it, and fresh
// secrets. The caller points a client at `host:port` with `security`, trusting only `ca`, then asks for
// the verdict with what the client claimed. Everything listens on 127.0.0.1 port 0.

import { type ClientResult, judgeScenario, type ScenarioVerdict } from '../audit/verdict';
import type { CertificateAuthority } from '../certificates/authority';
import { sharedCertificateAuthority } from '../certificates/authority';
import { type AttackEndpoint, startAttackEndpoint } from './attack-endpoint';
import { findScenario, SCENARIOS } from './catalogue';
import { createEndpointTls } from './endpoint-tls';
import { ScenarioError } from './scenario-error';
import type { Scenario, SecurityMode } from './scenario-types';
import { createSecrets, type ScenarioSecrets } from './secrets';
import { type DeliveredMessage, type SinkServer, startSinkServer } from './sink-server';
import { UpstreamDialer } from './upstream-dialer';
import type { ConnectionRecord } from './wire-record';

/** After the client is done, connections get this long (500 ms) to close before the verdict is taken:
 * long enough for loopback FIN delivery, short enough not to matter for a client that keeps it open. */
export const SETTLE_TIMEOUT_MS = 500;

export interface StartScenarioOptions {
  /** Default: the scenario's first mode. */
  readonly mode?: SecurityMode;
  /** The CA the client trusts. Default: the process-wide throw-away CA. */
  readonly authority?: CertificateAuthority;
  /** Default 0 (the OS picks). Only the CLI's `serve --port` sets another. */
  readonly port?: number;
}

export interface RunningScenario {
  readonly scenario: Scenario;
  readonly host: string;
  readonly port: number;
  readonly security: SecurityMode;
  /** PEM of the only CA the client may trust. */
  readonly ca: string;
  readonly secrets: ScenarioSecrets;
  /** `true` when the endpoint's certificate or TLS profile is one a correct client must refuse. */
  readonly endpointDefective: boolean;
  readonly connections: readonly ConnectionRecord[];
  readonly messages: readonly DeliveredMessage[];
  /** Waits briefly for connections to close, then judges the run. */
  verdict(result: ClientResult): Promise<ScenarioVerdict>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function resolveScenario(
  id: string,
  mode: SecurityMode | undefined,
): { scenario: Scenario; mode: SecurityMode } {
  const scenario = findScenario(id);
  if (scenario === undefined) {
    throw new ScenarioError(
      'UNKNOWN_SCENARIO',
      `No attack scenario has the id "${id}". Expected one of: ${SCENARIOS.map((entry) => entry.id).join(', ')}. Run \`strictmail-mock list\` for the catalogue.`,
    );
  }
  const chosen = mode ?? scenario.modes[0] ?? 'starttls';
  if (!scenario.modes.includes(chosen)) {
    throw new ScenarioError(
      'MODE_NOT_SUPPORTED',
      `Scenario "${id}" does not apply to mode "${chosen}": it supports ${scenario.modes.join(' and ')}. Pick one of those modes.`,
    );
  }
  return { scenario, mode: chosen };
}

/** Starts scenario `id` on 127.0.0.1, port 0. */
export async function startScenario(
  id: string,
  options: StartScenarioOptions = {},
): Promise<RunningScenario> {
  const { scenario, mode } = resolveScenario(id, options.mode);
  const authority = options.authority ?? (await sharedCertificateAuthority());
  const secrets = createSecrets(scenario.id, { smugglingProbe: scenario.plan.smugglingProbe === true });
  const endpointTls = await createEndpointTls(authority, scenario.plan.certificate, scenario.plan.tls);
  const sinkCertificate = (await createEndpointTls(authority)).certificate;
  let sink: SinkServer | undefined;
  let dialer: UpstreamDialer | undefined;
  let endpoint: AttackEndpoint | undefined;
  const close = async () => {
    await endpoint?.close();
    await dialer?.close();
    await sink?.close();
  };
  try {
    sink = await startSinkServer(secrets, sinkCertificate);
    dialer = new UpstreamDialer(sink.port);
    endpoint = await startAttackEndpoint({
      plan: scenario.plan,
      mode,
      tls: endpointTls,
      upstream: dialer,
      port: options.port ?? 0,
    });
  } catch (error) {
    await close();
    throw error;
  }
  const running = endpoint;
  const sinkServer = sink;
  return {
    scenario,
    host: running.host,
    port: running.port,
    security: mode,
    ca: authority.certificatePem,
    secrets,
    endpointDefective: endpointTls.defective,
    connections: running.connections,
    get messages() {
      return sinkServer.messages;
    },
    async verdict(result) {
      await running.settled(SETTLE_TIMEOUT_MS);
      return judgeScenario(
        {
          scenario,
          mode,
          secrets,
          endpointDefective: endpointTls.defective,
          connections: running.connections,
          messages: sinkServer.messages,
        },
        result,
      );
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

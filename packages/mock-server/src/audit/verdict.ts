// The automatic verdict for one scenario run, from two sources only: what the client claimed (exit code
// or return value) and what reached the endpoint (the wire records and the sink's mailbox).
// must-refuse passes only if the client did not claim success, nothing leaked, nothing was sent over a
// TLS session it should have refused, and no message was delivered. must-succeed passes only if the
// client claimed success and the message arrived intact (body marker, envelope), authenticated, over TLS,
// with nothing leaked (and, for the smuggling probe, a clean data phase).

import type { Expectation, RiskTier, Scenario, SecurityMode } from '../attacks/scenario-types';
import type { ScenarioSecrets } from '../attacks/secrets';
import type { DeliveredMessage } from '../attacks/sink-server';
import { type ConnectionRecord, clientBytesIn, type TlsOutcome } from '../attacks/wire-record';
import { findLeaks, type Leak, textViews } from './leak-detector';
import { probeDataPhases, type SmugglingFinding } from './smuggling-probe';

/** What the client under test said about its attempt. */
export interface ClientResult {
  /** `true` when the client claims it sent the message (exit code 0 under the command contract). */
  readonly claimedSuccess: boolean;
  readonly exitCode?: number | null;
  /** The client did not finish in time and was stopped. */
  readonly timedOut?: boolean;
  readonly durationMs?: number;
}

export interface ScenarioVerdict {
  readonly scenarioId: string;
  readonly title: string;
  readonly tier: RiskTier;
  readonly expectation: Expectation;
  readonly mode: SecurityMode;
  readonly pass: boolean;
  readonly outcome: 'claimed-success' | 'refused' | 'hung';
  /** Why it failed, in words; empty when it passed. */
  readonly reasons: readonly string[];
  readonly leaks: readonly Leak[];
  readonly smuggling: readonly SmugglingFinding[];
  /** A message carrying the body marker reached the sink. */
  readonly delivered: boolean;
  /** A delivered message came from a session authenticated with the given credentials. */
  readonly authenticated: boolean;
  /** Application bytes the client sent inside a TLS session it should have refused. */
  readonly untrustedTlsBytes: number;
  readonly connections: number;
  readonly tls: readonly TlsOutcome[];
  readonly exitCode: number | null | undefined;
  readonly durationMs: number | undefined;
}

export interface VerdictInput {
  readonly scenario: Scenario;
  readonly mode: SecurityMode;
  readonly secrets: ScenarioSecrets;
  readonly endpointDefective: boolean;
  readonly connections: readonly ConnectionRecord[];
  readonly messages: readonly DeliveredMessage[];
}

function carriesMarker(message: DeliveredMessage, marker: string): boolean {
  const views = textViews(message.raw);
  return [...views.raw, ...views.base64].some((view) => view.includes(marker));
}

/** The message went from MAIL_FROM to every MAIL_TO address (and no one else). */
function sameEnvelope(message: DeliveredMessage, secrets: ScenarioSecrets): boolean {
  const wanted = [...secrets.to].sort();
  const got = [...message.to].sort();
  return (
    message.from === secrets.from &&
    wanted.length === got.length &&
    wanted.every((to, index) => to === got[index])
  );
}

function describeLeak(leak: Leak): string {
  const where = leak.channel === 'plaintext' ? 'in plaintext' : 'to an endpoint it should not have trusted';
  const how = leak.encoding === 'base64' ? ' (base64-encoded)' : '';
  return `${leak.secret}${how} sent ${where} on connection ${leak.connection}`;
}

export function judgeScenario(input: VerdictInput, result: ClientResult): ScenarioVerdict {
  const { scenario, secrets, connections } = input;
  const leaks = findLeaks(connections, secrets, input.endpointDefective);
  const untrustedTlsBytes = input.endpointDefective
    ? connections.reduce((total, record) => total + clientBytesIn(record, 'tls').length, 0)
    : 0;
  const delivered = input.messages.filter((message) => carriesMarker(message, secrets.bodyMarker));
  const probe = scenario.plan.smugglingProbe === true ? probeDataPhases(connections) : undefined;
  const tls = connections.flatMap((record) => (record.tls === undefined ? [] : [record.tls]));
  const authenticated = delivered.some((message) => message.user === secrets.user);
  const outcome = result.timedOut === true ? 'hung' : result.claimedSuccess ? 'claimed-success' : 'refused';
  const reasons: string[] = leaks.map(describeLeak);

  if (scenario.expectation === 'must-refuse') {
    if (result.claimedSuccess) reasons.unshift('the client reported success where it had to refuse');
    if (untrustedTlsBytes > 0) {
      reasons.push(`the client sent ${untrustedTlsBytes} bytes inside a TLS session it had to refuse`);
    }
    if (delivered.length > 0)
      reasons.push('the message reached the server although the client had to refuse');
  } else {
    if (outcome === 'hung') reasons.unshift('the client did not finish in time');
    else if (!result.claimedSuccess) reasons.unshift('the client failed against a correct server');
    if (delivered.length === 0) reasons.push('no message carrying the body marker reached the server');
    else if (!delivered.some((message) => sameEnvelope(message, secrets))) {
      reasons.push('the delivered envelope differs from MAIL_FROM and MAIL_TO');
    }
    if (!authenticated) {
      reasons.push('no delivered message was authenticated with the given credentials');
    }
    if (!tls.some((outcomeOfTls) => outcomeOfTls.state === 'established')) {
      reasons.push('no TLS session was established');
    }
    if (probe !== undefined && probe.findings.length > 0) {
      const kinds = [...new Set(probe.findings.map((finding) => finding.kind))];
      reasons.push(`the raw data phase is not smuggling-safe: ${kinds.join(', ')}`);
    }
  }
  return {
    scenarioId: scenario.id,
    title: scenario.title,
    tier: scenario.tier,
    expectation: scenario.expectation,
    mode: input.mode,
    pass: reasons.length === 0,
    outcome,
    reasons,
    leaks,
    smuggling: probe?.findings ?? [],
    delivered: delivered.length > 0,
    authenticated,
    untrustedTlsBytes,
    connections: connections.length,
    tls,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
  };
}

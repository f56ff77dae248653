// Every scenario of the catalogue, in every mode it supports, against two clients: a deliberately
// insecure one (every leak detector must fire, every must-refuse verdict must fail) and a careful one
// (every verdict must pass: the catalogue raises no false alarm). Table-driven, real TLS on 127.0.0.1.
import { beforeAll, describe, expect, it } from 'vitest';
import { listScenarios } from '../src/attacks/catalogue';
import type { Scenario, SecurityMode } from '../src/attacks/scenario-types';
import { startScenario } from '../src/attacks/start-scenario';
import type { SecretKind } from '../src/audit/leak-detector';
import type { ClientResult, ScenarioVerdict } from '../src/audit/verdict';
import { type CertificateAuthority, createCertificateAuthority } from '../src/certificates/authority';
import { carefulClient, insecureClient } from './helpers/test-clients';

const EVERYTHING: SecretKind[] = ['body-marker', 'mail-from', 'password', 'rcpt-to', 'username'];
const CREDENTIALS: SecretKind[] = ['password', 'username'];

/** What the insecure client must be caught leaking, and where. */
function expectedLeaks(
  scenario: Scenario,
): { channel: 'plaintext' | 'untrusted-tls'; secrets: SecretKind[] } | null {
  const { plan } = scenario;
  if (plan.certificate !== undefined || (plan.tls !== undefined && plan.tls !== 'tls13-only')) {
    return { channel: 'untrusted-tls', secrets: EVERYTHING };
  }
  if (plan.starttlsReply?.close === true) return { channel: 'plaintext', secrets: CREDENTIALS };
  if (plan.starttlsReply !== undefined || plan.advertiseStarttls === false) {
    return { channel: 'plaintext', secrets: EVERYTHING };
  }
  if (plan.authBeforeTls === true) return { channel: 'plaintext', secrets: CREDENTIALS };
  return null;
}

const runs: [string, SecurityMode, Scenario][] = listScenarios().flatMap((scenario) =>
  scenario.modes.map((mode): [string, SecurityMode, Scenario] => [scenario.id, mode, scenario]),
);

let authority: CertificateAuthority;
beforeAll(async () => {
  authority = await createCertificateAuthority();
});

/** Why the careful client must refuse each must-refuse scenario: proof that the scenario plays its defect. */
const CAREFUL_REFUSALS: Record<string, RegExp> = {
  'starttls-not-advertised': /STARTTLS not advertised/,
  'starttls-454': /STARTTLS: expected 220, got 454/,
  'starttls-502': /STARTTLS: expected 220, got 502/,
  'starttls-530': /STARTTLS: expected 220, got 530/,
  'starttls-354': /STARTTLS: expected 220, got 354/,
  'starttls-421-close': /STARTTLS: expected 220, got 421/,
  'starttls-250': /STARTTLS: expected 220, got 250/,
  'ehlo-refused-helo-only': /EHLO: expected 250, got 502/,
  'inject-after-220-lines': /bytes injected after the 220/,
  'inject-after-220-partial': /bytes injected after the 220/,
  'cert-self-signed': /self[- ]signed/i,
  'cert-untrusted-root': /unable to (get|verify)/i,
  'cert-expired': /expired/,
  'cert-not-yet-valid': /not yet valid/,
  'cert-wrong-host': /does not match certificate's altnames/,
  'cert-cn-only': /does not match certificate's altnames/,
  'cert-weak-key': /key too weak/i,
  'cert-sha1-signature': /digest algorithm too weak/i,
  'tls10-only': /protocol version|unsupported protocol/i,
  'tls11-only': /protocol version|unsupported protocol/i,
  'tls12-cbc-only': /handshake failure|no shared cipher/i,
  'tls12-static-rsa-only': /handshake failure|no shared cipher/i,
  'auth-dropped-after-tls': /AUTH not offered over TLS/,
  'auth-plaintext-only': /AUTH not offered over TLS/,
};

async function play<Result extends ClientResult>(
  scenario: Scenario,
  mode: SecurityMode,
  client: (target: Awaited<ReturnType<typeof startScenario>>) => Promise<Result>,
): Promise<{ verdict: ScenarioVerdict; result: Result }> {
  const running = await startScenario(scenario.id, { mode, authority });
  try {
    const result = await client(running);
    return { verdict: await running.verdict(result), result };
  } finally {
    await running.close();
  }
}

describe.concurrent('a deliberately insecure client is caught by every scenario (RFC 3207 §4, §6; RFC 5321 §4.5.2)', () => {
  it.each(runs)('%s (%s)', async (_id, mode, scenario) => {
    const { verdict } = await play(scenario, mode, (target) => insecureClient(target));
    if (scenario.tier === 'control') {
      expect(verdict.reasons).toEqual([]);
      return;
    }
    expect(verdict.pass).toBe(false);
    const expected = expectedLeaks(scenario);
    const leaked = [...new Set(verdict.leaks.map((leak) => leak.secret))].sort();
    if (expected === null) expect(verdict.leaks).toEqual([]);
    else {
      expect(leaked).toEqual(expected.secrets);
      expect(new Set(verdict.leaks.map((leak) => leak.channel))).toEqual(new Set([expected.channel]));
    }
    if (expected?.channel === 'untrusted-tls') expect(verdict.untrustedTlsBytes).toBeGreaterThan(0);
    if (scenario.plan.smugglingProbe === true) {
      expect(new Set(verdict.smuggling.map((finding) => finding.kind))).toEqual(
        new Set(['bare-cr', 'bare-lf', 'early-end-of-data', 'unstuffed-dot']),
      );
    }
    if (expected === null && scenario.plan.smugglingProbe !== true) {
      // No secret could leak (TLS was sound): the failure must come from going ahead.
      expect(verdict.delivered || verdict.outcome === 'claimed-success').toBe(true);
    }
  });
});

describe.concurrent('a careful client passes every scenario: no false alarm', () => {
  it.each(runs)('%s (%s)', async (_id, mode, scenario) => {
    const { verdict, result } = await play(scenario, mode, carefulClient);
    expect(verdict.reasons).toEqual([]);
    if (scenario.expectation === 'must-refuse')
      expect(result.error).toMatch(CAREFUL_REFUSALS[scenario.id] ?? /^$/);
    else expect(result.error).toBeUndefined();
    expect(verdict.pass).toBe(true);
    expect(verdict.leaks).toEqual([]);
    expect(verdict.outcome).toBe(scenario.expectation === 'must-succeed' ? 'claimed-success' : 'refused');
  });
});

describe('base64 credentials are found in AUTH LOGIN as well as AUTH PLAIN (RFC 4954)', () => {
  it('starttls-not-advertised catches the AUTH LOGIN password line', async () => {
    const running = await startScenario('starttls-not-advertised', { authority });
    try {
      const verdict = await running.verdict(await insecureClient(running, 'LOGIN'));
      expect(verdict.leaks).toContainEqual({
        secret: 'password',
        channel: 'plaintext',
        encoding: 'base64',
        connection: 0,
      });
    } finally {
      await running.close();
    }
  });
});

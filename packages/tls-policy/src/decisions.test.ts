// requiresTls and mayAuthenticate, table-driven: credentials only over a judged TLS session, or in the
// mode spelled dangerous-plaintext (ARCHITECTURE.md invariants 1 and 9).
import { describe, expect, it } from 'vitest';
import {
  dangerousOpportunisticStarttls,
  dangerousPlaintext,
  implicitTls,
  requireStarttls,
} from './constructors';
import { mayAuthenticate, requiresTls } from './decisions';
import type { TlsReceipt } from './receipt';

const receipt: TlsReceipt = {
  entry: 'starttls',
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_128_GCM_SHA256',
  serverName: 'mail.example.test',
  chainVerified: true,
  hostnameVerified: true,
  leafSpkiSha256: 'n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=',
  subject: 'CN=mail.example.test',
  issuer: 'CN=CA',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  decidedBy: 'pkix',
  resumed: false,
};

describe('requiresTls', () => {
  it.each([
    [implicitTls(), true],
    [requireStarttls(), true],
    [dangerousOpportunisticStarttls(), false],
    [dangerousPlaintext(), false],
  ])('%o -> %s', (policy, expected) => {
    expect(requiresTls(policy)).toBe(expected);
  });
});

describe('mayAuthenticate: credentials only over a judged session (invariants 1 and 9)', () => {
  const pinned = { ...receipt, decidedBy: 'pin' as const, chainVerified: false, hostnameVerified: false };
  const cases = [
    ['implicit TLS, judged', implicitTls(), receipt, true],
    ['STARTTLS required, judged', requireStarttls(), receipt, true],
    ['STARTTLS required, no TLS yet', requireStarttls(), null, false],
    ['opportunistic, STARTTLS stripped (no TLS)', dangerousOpportunisticStarttls(), null, false],
    ['opportunistic, judged', dangerousOpportunisticStarttls(), receipt, true],
    ['pins-only, judged by pin', requireStarttls(), pinned, true],
    [
      'a hand-made receipt without a verified chain',
      implicitTls(),
      { ...receipt, chainVerified: false },
      false,
    ],
    [
      'a hand-made receipt without a verified host name',
      implicitTls(),
      { ...receipt, hostnameVerified: false },
      false,
    ],
    ['dangerous plaintext, by explicit choice', dangerousPlaintext(), null, true],
  ] as const;
  for (const [name, policy, given, expected] of cases) {
    it(`${name} -> ${expected}`, () => {
      expect(mayAuthenticate(policy, given)).toBe(expected);
    });
  }
});

// Policy constructors: secure defaults, trust derived from pins, frozen results, and every unsafe or
// malformed option refused with a ConfigurationError before any connection exists (RFC 8996, RFC 7469).
import { describe, expect, it } from 'vitest';
import {
  dangerousOpportunisticStarttls,
  dangerousPlaintext,
  implicitTls,
  requireStarttls,
} from './constructors';
import { ConfigurationError } from './errors';
import type { TlsVersion } from './policy';

const PIN = 'n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('policy constructors', () => {
  it('default to PKIX trust, system roots, TLS 1.2 minimum', () => {
    for (const [make, mode] of [
      [implicitTls, 'implicit-tls'],
      [requireStarttls, 'require-starttls'],
      [dangerousOpportunisticStarttls, 'opportunistic'],
    ] as const) {
      expect(make()).toEqual({
        mode,
        trust: 'pkix',
        ca: undefined,
        pins: [],
        minVersion: 'TLSv1.2',
        serverName: undefined,
      });
    }
    expect(dangerousPlaintext()).toEqual({ mode: 'dangerous-plaintext' });
  });

  it('derive the trust mode from pins and pinsOnly', () => {
    expect(implicitTls({ pins: [PIN] }).trust).toBe('pkix-and-pin');
    expect(implicitTls({ pins: [PIN], pinsOnly: true }).trust).toBe('pin');
    expect(implicitTls({ ca: CA }).ca).toEqual([CA]);
    expect(implicitTls({ ca: [CA, CA] }).ca).toHaveLength(2);
  });

  it('return frozen policies that callers cannot weaken afterwards', () => {
    const policy = requireStarttls({ pins: [PIN] });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.pins)).toBe(true);
    expect(() => {
      (policy as { minVersion: string }).minVersion = 'TLSv1';
    }).toThrow(TypeError);
  });

  const refusals: readonly [string, () => unknown, 'INSECURE_OPTION' | 'INVALID_OPTION', RegExp][] = [
    [
      'TLS 1.0 minimum (RFC 8996)',
      () => implicitTls({ minVersion: 'TLSv1' as TlsVersion }),
      'INSECURE_OPTION',
      /RFC 8996/,
    ],
    [
      'TLS 1.1 minimum (RFC 8996)',
      () => implicitTls({ minVersion: 'TLSv1.1' as TlsVersion }),
      'INSECURE_OPTION',
      /RFC 8996/,
    ],
    [
      'an unknown version',
      () => implicitTls({ minVersion: 'TLSv9' as TlsVersion }),
      'INVALID_OPTION',
      /TLSv1\.2/,
    ],
    ['a hex fingerprint as pin', () => implicitTls({ pins: ['ab:cd:ef'] }), 'INVALID_OPTION', /openssl x509/],
    [
      'a 31-byte pin',
      () => implicitTls({ pins: ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=='] }),
      'INVALID_OPTION',
      /RFC 7469/,
    ],
    ['pinsOnly without pins', () => requireStarttls({ pinsOnly: true }), 'INVALID_OPTION', /no pins/],
    ['an empty ca list', () => implicitTls({ ca: [] }), 'INVALID_OPTION', /system roots/],
    [
      'a ca that is a path, not PEM',
      () => implicitTls({ ca: '/etc/ssl/ca.pem' }),
      'INVALID_OPTION',
      /readFileSync/,
    ],
    ['an empty serverName', () => implicitTls({ serverName: '' }), 'INVALID_OPTION', /serverName/],
  ];
  for (const [name, make, code, message] of refusals) {
    it(`refuse ${name} with ${code}`, () => {
      let caught: unknown;
      try {
        make();
      } catch (error) {
        caught = error;
      }
      expect(ConfigurationError.isInstance(caught)).toBe(true);
      expect(caught).toMatchObject({ code, kind: 'configuration' });
      expect((caught as Error).message).toMatch(message);
    });
  }
});

// Certificate key strength, signature hash and validity rules, table-driven (RFC 9325 §4.4, RFC 9155,
// RFC 5280 §4.1.2.5), with time as a parameter.
import { describe, expect, it } from 'vitest';
import { curveBits, judgeKeyStrength, judgeSignatureAlgorithm, judgeValidity } from './certificate-rules';

describe('judgeKeyStrength (RFC 9325 §4.4: 112-bit strength)', () => {
  const cases = [
    [{ type: 'rsa', bits: 1024 }, false],
    [{ type: 'rsa', bits: 2047 }, false],
    [{ type: 'rsa', bits: 2048 }, true],
    [{ type: 'rsa', bits: 4096 }, true],
    [{ type: 'rsa-pss', bits: 1024 }, false],
    [{ type: 'rsa', bits: undefined }, false],
    [{ type: 'ec', bits: curveBits('prime256v1') }, true],
    [{ type: 'ec', bits: curveBits('secp384r1') }, true],
    [{ type: 'ec', bits: curveBits('secp224r1') }, false],
    [{ type: 'ec', bits: curveBits('prime192v1') }, false],
    [{ type: 'ec', bits: curveBits('some-unknown-curve') }, false],
    [{ type: 'ed25519', bits: undefined }, true],
    [{ type: 'dsa', bits: 2048 }, false],
  ] as const;
  for (const [key, accepted] of cases) {
    it(`${key.type} ${key.bits ?? '?'} bits -> ${accepted ? 'accepted' : 'CERTIFICATE_WEAK_KEY'}`, () => {
      const verdict = judgeKeyStrength(key);
      expect(verdict.accepted).toBe(accepted);
      if (!verdict.accepted) expect(verdict.code).toBe('CERTIFICATE_WEAK_KEY');
    });
  }
});

describe('judgeSignatureAlgorithm (RFC 9155: no MD5 or SHA-1 signatures)', () => {
  const cases = [
    [{ algorithmOid: '1.2.840.113549.1.1.11' }, true, 'sha256WithRSAEncryption'],
    [{ algorithmOid: '1.2.840.10045.4.3.2' }, true, 'ecdsa-with-SHA256'],
    [{ algorithmOid: '1.3.101.112' }, true, 'Ed25519'],
    [{ algorithmOid: '1.2.840.113549.1.1.5' }, false, 'sha1WithRSAEncryption'],
    [{ algorithmOid: '1.2.840.113549.1.1.4' }, false, 'md5WithRSAEncryption'],
    [{ algorithmOid: '1.2.840.10045.4.1' }, false, 'ecdsa-with-SHA1'],
    [
      { algorithmOid: '1.2.840.113549.1.1.10', pssHashOid: '2.16.840.1.101.3.4.2.1' },
      true,
      'PSS with SHA-256',
    ],
    [{ algorithmOid: '1.2.840.113549.1.1.10', pssHashOid: undefined }, false, 'PSS with default SHA-1'],
    [{ algorithmOid: '1.2.840.113549.1.1.10', pssHashOid: '1.3.14.3.2.26' }, false, 'PSS with SHA-1'],
  ] as const;
  for (const [signature, accepted, name] of cases) {
    it(`${name} -> ${accepted ? 'accepted' : 'CERTIFICATE_WEAK_SIGNATURE'}`, () => {
      const verdict = judgeSignatureAlgorithm(signature, 'the server certificate');
      expect(verdict.accepted).toBe(accepted);
      if (!verdict.accepted) expect(verdict.code).toBe('CERTIFICATE_WEAK_SIGNATURE');
    });
  }
});

describe('judgeValidity (RFC 5280 §4.1.2.5, both ends inclusive)', () => {
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2026-12-31T23:59:59Z');
  const cases = [
    ['2025-12-31T23:59:59Z', 'CERTIFICATE_NOT_YET_VALID'],
    ['2026-01-01T00:00:00Z', 'accepted'],
    ['2026-06-01T00:00:00Z', 'accepted'],
    ['2026-12-31T23:59:59Z', 'accepted'],
    ['2027-01-01T00:00:00Z', 'CERTIFICATE_EXPIRED'],
  ] as const;
  for (const [now, outcome] of cases) {
    it(`at ${now} -> ${outcome}`, () => {
      const verdict = judgeValidity({ notBefore, notAfter }, new Date(now), 'the server certificate');
      expect(verdict.accepted ? 'accepted' : verdict.code).toBe(outcome);
    });
  }
});

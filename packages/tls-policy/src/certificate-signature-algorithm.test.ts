// The DER reader for a certificate's signatureAlgorithm: real certificates, hand-built RSASSA-PSS
// parameters, and every truncation of a real certificate must throw instead of reading out of bounds.
import { X509Certificate } from 'node:crypto';
import { createCertificateAuthority, issueCertificate } from '@strictmail/mock-server/certificates';
import { describe, expect, it } from 'vitest';
import { decodeObjectIdentifier, readSignatureAlgorithm } from './certificate-signature-algorithm';

function der(pem: string): Uint8Array {
  return new Uint8Array(new X509Certificate(pem).raw);
}

describe('readSignatureAlgorithm (RFC 5280 §4.1.1.2)', () => {
  it('reads the outer algorithm of real certificates', async () => {
    const authority = await createCertificateAuthority();
    const [ecdsa, sha1, rsa] = await Promise.all([
      issueCertificate(authority),
      issueCertificate(authority, { signatureHash: 'SHA-1' }),
      issueCertificate(await createCertificateAuthority({ keyType: 'rsa-2048' })),
    ]);
    expect(readSignatureAlgorithm(der(ecdsa.certificatePem))).toEqual({
      algorithmOid: '1.2.840.10045.4.3.2',
    });
    expect(readSignatureAlgorithm(der(sha1.certificatePem))).toEqual({ algorithmOid: '1.2.840.10045.4.1' });
    expect(readSignatureAlgorithm(der(rsa.certificatePem)).algorithmOid).toBe('1.2.840.113549.1.1.11');
  });

  it('reads the hash of RSASSA-PSS from its parameters (RFC 4055 §3.1)', () => {
    // SEQUENCE { SEQUENCE {} (tbs), SEQUENCE { OID rsassa-pss, SEQUENCE { [0] { SEQUENCE { OID sha256 } } } } }
    const pssWithSha256 = Uint8Array.from([
      0x30, 0x20, 0x30, 0x00, 0x30, 0x1c, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
      0x30, 0x0f, 0xa0, 0x0d, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    ]);
    expect(readSignatureAlgorithm(pssWithSha256)).toEqual({
      algorithmOid: '1.2.840.113549.1.1.10',
      pssHashOid: '2.16.840.1.101.3.4.2.1',
    });
    const pssDefault = Uint8Array.from([
      0x30, 0x11, 0x30, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
      0x30, 0x00,
    ]);
    expect(readSignatureAlgorithm(pssDefault)).toEqual({
      algorithmOid: '1.2.840.113549.1.1.10',
      pssHashOid: undefined,
    });
  });

  it('throws on every truncation of a real certificate instead of reading out of bounds', async () => {
    const certificate = der((await issueCertificate(await createCertificateAuthority())).certificatePem);
    for (let length = 0; length < certificate.length; length += 1) {
      expect(() => readSignatureAlgorithm(certificate.subarray(0, length))).toThrow(/malformed DER/);
    }
  });

  it('refuses indefinite and oversized lengths', () => {
    expect(() => readSignatureAlgorithm(Uint8Array.from([0x30, 0x80, 0x00, 0x00]))).toThrow(/length form/);
    expect(() => readSignatureAlgorithm(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1]))).toThrow(/length form/);
  });

  it.each([
    [[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], '1.2.840.113549.1.1.11'],
    [[0x2b, 0x0e, 0x03, 0x02, 0x1a], '1.3.14.3.2.26'],
    [[0x2b, 0x65, 0x70], '1.3.101.112'],
    [[0x55, 0x1d, 0x11], '2.5.29.17'],
  ])('decodes OID %j as %s', (bytes, expected) => {
    expect(decodeObjectIdentifier(Uint8Array.from(bytes))).toBe(expected);
  });
});

// Cipher suite acceptance, table-driven (RFC 9325 §4.1-4.2): forward-secret AEAD only on TLS 1.2,
// the standard AEAD suites on TLS 1.3, and an OpenSSL list that offers exactly those.
import { describe, expect, it } from 'vitest';
import { judgeCipherSuite, OPENSSL_CIPHER_LIST, TLS12_CIPHER_SUITES } from './cipher-suites';

describe('judgeCipherSuite (RFC 9325 §4.1-4.2: forward-secret AEAD only)', () => {
  const accepted = [
    ['TLSv1.3', 'TLS_AES_128_GCM_SHA256'],
    ['TLSv1.3', 'TLS_AES_256_GCM_SHA384'],
    ['TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256'],
    ['TLSv1.2', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    ['TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
    ['TLSv1.2', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  ] as const;
  for (const [protocol, suite] of accepted) {
    it(`accepts ${suite} on ${protocol}`, () => {
      expect(judgeCipherSuite(protocol, suite)).toEqual({ accepted: true });
    });
  }

  const rejected = [
    ['TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', /CBC mode is not AEAD/],
    ['TLSv1.2', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', /CBC/],
    ['TLSv1.2', 'TLS_RSA_WITH_AES_128_GCM_SHA256', /static RSA/],
    ['TLSv1.2', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', /finite-field/],
    ['TLSv1.2', 'TLS_RSA_WITH_RC4_128_SHA', /RC4/],
    ['TLSv1.2', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', /Sweet32/],
    ['TLSv1.2', 'TLS_RSA_WITH_NULL_SHA256', /NULL/],
    ['TLSv1.2', 'TLS_DH_anon_WITH_AES_128_GCM_SHA256', /anonymous/],
    ['TLSv1.2', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', /NULL|export|RC4/],
    ['TLSv1.2', 'TLS_AES_128_GCM_SHA256', /not one of/],
    ['TLSv1.3', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', /not one of/],
    ['TLSv1.3', 'TLS_AES_128_CCM_8_SHA256', /not one of/],
    ['TLSv1.1', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', /not one of/],
    ['TLSv1.2', undefined, /no cipher suite/],
  ] as const;
  for (const [protocol, suite, reason] of rejected) {
    it(`refuses ${suite ?? 'no suite'} on ${protocol} with CIPHER_REJECTED`, () => {
      const verdict = judgeCipherSuite(protocol, suite);
      expect(verdict).toMatchObject({ accepted: false, code: 'CIPHER_REJECTED' });
      if (!verdict.accepted) expect(verdict.reason).toMatch(reason);
    });
  }

  it('offers OpenSSL exactly the accepted TLS 1.2 suites, at security level 2', () => {
    const names = OPENSSL_CIPHER_LIST.split(':');
    expect(names.filter((name) => name.startsWith('ECDHE-'))).toHaveLength(TLS12_CIPHER_SUITES.length);
    expect(
      names.every((name) =>
        /^(TLS_|ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM|CHACHA20-POLY1305)|@SECLEVEL=2$)/.test(name),
      ),
    ).toBe(true);
    expect(names.at(-1)).toBe('@SECLEVEL=2');
  });
});

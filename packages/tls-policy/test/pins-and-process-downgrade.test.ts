// Certificate pinning over real handshakes (RFC 7469 §2.4 pin format; Postfix's `fingerprint` level is
// the precedent for pins instead of PKIX), and the process-wide downgrade NODE_TLS_REJECT_UNAUTHORIZED=0,
// which must not let any bad certificate through a strictmail judgement (ARCHITECTURE.md invariant 5).
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createSelfSignedCertificate,
  type IssuedCertificate,
  issueCertificate,
} from '@strictmail/mock-server/certificates';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { implicitTls, mayAuthenticate, requireStarttls, type SecurityErrorCode } from '../src/index';
import { connectAndJudge, startTlsServer, type TestServer } from './tls-harness';

const DAY_MS = 86_400_000;
/** A well-formed pin of no key in this test (a backup pin, as RFC 7469 §4.3 recommends keeping). */
const UNRELATED_PIN = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

let authority: CertificateAuthority;
let valid: IssuedCertificate;
let selfSigned: IssuedCertificate;
const servers: TestServer[] = [];

async function serve(certificate: IssuedCertificate, ciphers?: string): Promise<TestServer> {
  const server = await startTlsServer({
    key: certificate.privateKeyPem,
    cert: certificate.certificatePem,
    minVersion: 'TLSv1.2',
    ...(ciphers === undefined ? {} : { ciphers }),
  });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  authority = await createCertificateAuthority();
  [valid, selfSigned] = await Promise.all([issueCertificate(authority), createSelfSignedCertificate()]);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('certificate pins (RFC 7469 §2.4 SPKI SHA-256)', () => {
  it('accepts a self-signed server by its pin alone, without turning verification off', async () => {
    const policy = requireStarttls({ pins: [selfSigned.spkiSha256], pinsOnly: true });
    const { receipt } = await connectAndJudge(policy, await serve(selfSigned));
    expect(receipt).toMatchObject({
      decidedBy: 'pin',
      chainVerified: false,
      leafSpkiSha256: selfSigned.spkiSha256,
    });
    expect(mayAuthenticate(policy, receipt)).toBe(true);
  });

  it('stops a key substitution on a pinned self-signed server: PIN_MISMATCH (RFC 7469 §2.6)', async () => {
    const impostor = await createSelfSignedCertificate();
    const policy = implicitTls({ pins: [selfSigned.spkiSha256], pinsOnly: true });
    await expect(connectAndJudge(policy, await serve(impostor))).rejects.toMatchObject({
      code: 'PIN_MISMATCH',
    });
  });

  it('stops a mis-issued but PKIX-valid certificate when pins are required too: PIN_MISMATCH (RFC 7469 §2.6)', async () => {
    const misIssued = await issueCertificate(authority);
    const policy = implicitTls({ ca: authority.certificatePem, pins: [valid.spkiSha256] });
    expect(policy.trust).toBe('pkix-and-pin');
    await expect(connectAndJudge(policy, await serve(misIssued))).rejects.toMatchObject({
      code: 'PIN_MISMATCH',
    });
  });

  it('accepts PKIX and a matching pin together, and records both in the receipt', async () => {
    const policy = implicitTls({ ca: authority.certificatePem, pins: [UNRELATED_PIN, valid.spkiSha256] });
    const { receipt } = await connectAndJudge(policy, await serve(valid));
    expect(receipt).toMatchObject({ decidedBy: 'pkix-and-pin', chainVerified: true, hostnameVerified: true });
  });

  it('still requires PKIX beside a matching pin in pkix-and-pin mode (RFC 5280 §6)', async () => {
    const policy = implicitTls({ ca: authority.certificatePem, pins: [selfSigned.spkiSha256] });
    await expect(connectAndJudge(policy, await serve(selfSigned))).rejects.toMatchObject({
      code: 'CERTIFICATE_UNTRUSTED',
    });
  });

  it('lets a pin decide alone as DANE-EE does: an expired self-signed pinned key still passes (RFC 7671 §5.1)', async () => {
    const expired = await createSelfSignedCertificate({
      notBefore: new Date(Date.now() - 10 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    const policy = implicitTls({ pins: [expired.spkiSha256], pinsOnly: true });
    const { receipt } = await connectAndJudge(policy, await serve(expired));
    expect(receipt).toMatchObject({
      decidedBy: 'pin',
      chainVerified: false,
      leafSpkiSha256: expired.spkiSha256,
    });
  });

  it('stops a pinned but factorable RSA-1024 key even in pins-only mode (RFC 9325 §4.4)', async () => {
    const weak = await createSelfSignedCertificate({ keyType: 'rsa-1024' });
    const policy = implicitTls({ pins: [weak.spkiSha256], pinsOnly: true });
    await expect(connectAndJudge(policy, await serve(weak, 'DEFAULT@SECLEVEL=0'))).rejects.toMatchObject({
      code: 'CERTIFICATE_WEAK_KEY',
    });
  });
});

describe('NODE_TLS_REJECT_UNAUTHORIZED=0 does not weaken a strictmail connection (invariant 5)', () => {
  const original = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  afterEach(() => {
    if (original === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = original;
  });

  const badCertificates: readonly [string, SecurityErrorCode, () => Promise<IssuedCertificate>][] = [
    ['self-signed', 'CERTIFICATE_UNTRUSTED', () => createSelfSignedCertificate()],
    [
      'untrusted root',
      'CERTIFICATE_UNTRUSTED',
      async () => issueCertificate(await createCertificateAuthority()),
    ],
    [
      'expired',
      'CERTIFICATE_EXPIRED',
      () =>
        issueCertificate(authority, {
          notBefore: new Date(Date.now() - 10 * DAY_MS),
          notAfter: new Date(Date.now() - DAY_MS),
        }),
    ],
    ['wrong host', 'HOSTNAME_MISMATCH', () => issueCertificate(authority, { hosts: ['other.example.test'] })],
  ];

  for (const [defect, code, certificate] of badCertificates) {
    it(`refuses a ${defect} certificate with ${code} even when the process disables verification (RFC 5280 §6, RFC 6125 §6)`, async () => {
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
      const server = await serve(await certificate());
      const policy = implicitTls({ ca: authority.certificatePem });
      // As strictmail sets it: the explicit rejectUnauthorized: true wins over the environment.
      await expect(connectAndJudge(policy, server)).rejects.toMatchObject({
        code,
        diagnosis: 'certificate-rejected',
      });
      // A caller who dropped rejectUnauthorized lets Node's environment default (false) apply: the judge holds.
      // The handshake completes (no diagnosis: the judge, not OpenSSL, refuses).
      await expect(connectAndJudge(policy, server, { drop: ['rejectUnauthorized'] })).rejects.toMatchObject({
        code,
        diagnosis: undefined,
        message: expect.stringMatching(/^TLS session with .* refused/),
      });
    });
  }
});

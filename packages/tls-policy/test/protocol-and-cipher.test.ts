// Version and cipher downgrades, played by real servers: TLS 1.0-only and 1.1-only servers (RFC 8996),
// TLS 1.2 servers offering only CBC or only static-RSA suites (RFC 9325 §4.1-4.2). Each must end in its
// specific code through the driver path and through the judge when a caller loosened the options; the
// control servers (valid ECDSA, valid RSA-2048, TLS 1.3 only) must pass with a truthful receipt.
import {
  type CertificateAuthority,
  createCertificateAuthority,
  type IssuedCertificate,
  issueCertificate,
} from '@strictmail/mock-server/certificates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { implicitTls, type SecurityErrorCode, type TlsPolicy } from '../src/index';
import { connectAndJudge, startTlsServer, type TestServer } from './tls-harness';

/** What a careless caller spreads over strictmail's options to "make an old server work". */
const LOOSENED = { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

let authority: CertificateAuthority;
let ecdsa: IssuedCertificate;
let rsa: IssuedCertificate;
let policy: TlsPolicy;
const servers: TestServer[] = [];

beforeAll(async () => {
  authority = await createCertificateAuthority();
  [ecdsa, rsa] = await Promise.all([
    issueCertificate(authority),
    issueCertificate(authority, { keyType: 'rsa-2048' }),
  ]);
  policy = implicitTls({ ca: authority.certificatePem });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(certificate: IssuedCertificate, options: Record<string, unknown>): Promise<TestServer> {
  const server = await startTlsServer({
    key: certificate.privateKeyPem,
    cert: certificate.certificatePem,
    ...options,
  });
  servers.push(server);
  return server;
}

interface DowngradeCase {
  readonly attack: string;
  readonly code: SecurityErrorCode;
  readonly certificate: () => IssuedCertificate;
  readonly server: Record<string, unknown>;
}

const downgrades: readonly DowngradeCase[] = [
  {
    attack: 'downgrading to TLS 1.0 (RFC 8996 §2: MUST NOT negotiate TLS 1.0)',
    code: 'TLS_VERSION_TOO_OLD',
    certificate: () => rsa,
    server: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
  },
  {
    attack: 'downgrading to TLS 1.1 (RFC 8996 §3: MUST NOT negotiate TLS 1.1)',
    code: 'TLS_VERSION_TOO_OLD',
    certificate: () => rsa,
    server: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
  },
  {
    attack: 'forcing CBC suites open to padding oracles on TLS 1.2 (RFC 9325 §4.2: AEAD required)',
    code: 'CIPHER_REJECTED',
    certificate: () => ecdsa,
    server: {
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA',
    },
  },
  {
    attack: 'forcing static-RSA key exchange without forward secrecy (RFC 9325 §4.1)',
    code: 'CIPHER_REJECTED',
    certificate: () => rsa,
    server: { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256' },
  },
];

describe('protocol and cipher downgrades are refused', () => {
  for (const downgrade of downgrades) {
    it(`stops ${downgrade.attack}: ${downgrade.code} (driver path)`, async () => {
      const server = await serve(downgrade.certificate(), downgrade.server);
      await expect(connectAndJudge(policy, server)).rejects.toMatchObject({
        name: 'SecurityError',
        code: downgrade.code,
        diagnosis:
          downgrade.code === 'CIPHER_REJECTED' ? 'no-shared-cipher-suite' : 'server-protocol-too-old',
      });
    });

    it(`stops ${downgrade.attack}: ${downgrade.code} even with loosened caller options`, async () => {
      const server = await serve(downgrade.certificate(), downgrade.server);
      const outcome = connectAndJudge(policy, server, { loosen: LOOSENED });
      // No diagnosis: the handshake completed and the judge refused on its own.
      await expect(outcome).rejects.toMatchObject({
        name: 'SecurityError',
        code: downgrade.code,
        diagnosis: undefined,
      });
    });
  }

  it('names the likely cause of a version refusal so the user can act (RFC 8996)', async () => {
    const server = await serve(rsa, {
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const error = await connectAndJudge(policy, server).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TLS_VERSION_TOO_OLD', diagnosis: 'server-protocol-too-old' });
    expect((error as Error).message).toMatch(/only TLS versions below TLSv1\.2/);
  });

  it('refuses TLS 1.2 when the policy requires TLS 1.3', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const strict = implicitTls({ ca: authority.certificatePem, minVersion: 'TLSv1.3' });
    await expect(connectAndJudge(strict, server)).rejects.toMatchObject({ code: 'TLS_VERSION_TOO_OLD' });
    await expect(connectAndJudge(strict, server, { loosen: LOOSENED })).rejects.toMatchObject({
      code: 'TLS_VERSION_TOO_OLD',
    });
  });
});

describe('control servers pass with a receipt computed from the session', () => {
  it('accepts a valid ECDSA P-256 certificate on TLS 1.3', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2' });
    const { receipt } = await connectAndJudge(policy, server);
    expect(receipt).toMatchObject({
      entry: 'implicit-tls',
      protocol: 'TLSv1.3',
      serverName: '127.0.0.1',
      chainVerified: true,
      hostnameVerified: true,
      leafSpkiSha256: ecdsa.spkiSha256,
      subject: 'CN=localhost',
      decidedBy: 'pkix',
      resumed: false,
    });
    expect(receipt.issuer).toContain(authority.commonName);
    expect(receipt.validFrom).toBe(
      new Date(Math.floor(ecdsa.notBefore.getTime() / 1000) * 1000).toISOString(),
    );
  });

  it('accepts a valid RSA-2048 certificate on TLS 1.2 with ECDHE-RSA-AES-GCM', async () => {
    const server = await serve(rsa, { maxVersion: 'TLSv1.2' });
    const { receipt } = await connectAndJudge(policy, server);
    expect(receipt.protocol).toBe('TLSv1.2');
    expect(receipt.cipher).toMatch(/^TLS_ECDHE_RSA_WITH_AES_(128|256)_GCM_SHA(256|384)$/);
    expect(receipt.leafSpkiSha256).toBe(rsa.spkiSha256);
  });

  it('does not refuse a good server just because the caller loosened the options', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2' });
    const { receipt } = await connectAndJudge(policy, server, {
      loosen: { ...LOOSENED, rejectUnauthorized: false },
    });
    expect(receipt).toMatchObject({ protocol: 'TLSv1.3', chainVerified: true, hostnameVerified: true });
  });

  it('accepts a TLS 1.3-only server', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.3' });
    const { receipt } = await connectAndJudge(policy, server);
    expect(receipt.protocol).toBe('TLSv1.3');
    expect(receipt.cipher).toMatch(/^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
  });

  it('accepts the DNS name localhost from a certificate that names it in subjectAltName', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2' });
    const { receipt } = await connectAndJudge(policy, server, { host: 'localhost' });
    expect(receipt).toMatchObject({ serverName: 'localhost', hostnameVerified: true });
  });

  it('judges a resumed session again and reports it as resumed', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2' });
    const first = await connectAndJudge(policy, server);
    const second = await connectAndJudge(policy, server, {
      session: first.session,
      resumedFrom: first.receipt,
    });
    expect(second.receipt).toMatchObject({
      resumed: true,
      chainVerified: true,
      leafSpkiSha256: ecdsa.spkiSha256,
    });
  });

  it('stops reuse of a ticket whose certificate has since expired (RFC 5280 §4.1.2.5)', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2' });
    const first = await connectAndJudge(policy, server);
    const stale = { ...first.receipt, validTo: new Date(Date.now() - 1000).toISOString() };
    await expect(
      connectAndJudge(policy, server, { session: first.session, resumedFrom: stale }),
    ).rejects.toMatchObject({ code: 'CERTIFICATE_EXPIRED' });
  });

  it('stops reuse of a pinned ticket after the pin set changed (RFC 7469 §2.6)', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2' });
    const pinned = implicitTls({ ca: authority.certificatePem, pins: [ecdsa.spkiSha256] });
    const first = await connectAndJudge(pinned, server);
    const repinned = implicitTls({ ca: authority.certificatePem, pins: [rsa.spkiSha256] });
    await expect(
      connectAndJudge(repinned, server, { session: first.session, resumedFrom: first.receipt }),
    ).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    const again = await connectAndJudge(pinned, server, {
      session: first.session,
      resumedFrom: first.receipt,
    });
    expect(again.receipt).toMatchObject({ resumed: true, decidedBy: 'pkix-and-pin' });
  });

  it('refuses a resumed session without the receipt of the session it resumes', async () => {
    const server = await serve(ecdsa, { minVersion: 'TLSv1.2' });
    const first = await connectAndJudge(policy, server);
    await expect(connectAndJudge(policy, server, { session: first.session })).rejects.toMatchObject({
      code: 'CERTIFICATE_UNTRUSTED',
    });
    const elsewhere = { ...first.receipt, serverName: 'other.example.test' };
    await expect(
      connectAndJudge(policy, server, { session: first.session, resumedFrom: elsewhere }),
    ).rejects.toMatchObject({ code: 'CERTIFICATE_UNTRUSTED' });
  });
});

// Every certificate defect, played by a real TLS server on 127.0.0.1 with certificates generated for the
// run, must end in its specific SecurityError code — once through the driver path (OpenSSL refuses the
// handshake and diagnoseHandshakeError names the defect) and once with a caller who loosened the options
// (the handshake completes and judgeTlsSocket must refuse on its own).
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createSelfSignedCertificate,
  type IssuedCertificate,
  issueCertificate,
} from '@strictmail/mock-server/certificates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { implicitTls, type SecurityErrorCode, type TlsPolicy } from '../src/index';
import { connectAndJudge, startTlsServer, type TestServer } from './tls-harness';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Options a careless caller spreads over strictmail's: no verification, no identity check, any cipher. */
const LOOSENED = {
  rejectUnauthorized: false,
  checkServerIdentity: () => undefined,
  minVersion: 'TLSv1',
  ciphers: 'DEFAULT@SECLEVEL=0',
} as const;

let authority: CertificateAuthority;
let policy: TlsPolicy;
const servers: TestServer[] = [];

async function serve(
  certificate: IssuedCertificate,
  extra: { chain?: string; ciphers?: string } = {},
): Promise<TestServer> {
  const server = await startTlsServer({
    key: certificate.privateKeyPem,
    cert: [certificate.certificatePem, extra.chain ?? ''].join('\n'),
    minVersion: 'TLSv1.2',
    ...(extra.ciphers === undefined ? {} : { ciphers: extra.ciphers }),
  });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  authority = await createCertificateAuthority();
  policy = implicitTls({ ca: authority.certificatePem });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

interface DefectCase {
  readonly attack: string;
  readonly code: SecurityErrorCode;
  readonly certificate: () => Promise<IssuedCertificate>;
  readonly host?: string;
  /** OpenSSL refuses to even load a SHA-1 certificate at its default level, so that server lowers it. */
  readonly serverCiphers?: string;
}

const defects: readonly DefectCase[] = [
  {
    attack: 'replaying an expired certificate whose key may have leaked (RFC 5280 §4.1.2.5)',
    code: 'CERTIFICATE_EXPIRED',
    certificate: () =>
      issueCertificate(authority, {
        notBefore: new Date(Date.now() - 10 * DAY_MS),
        notAfter: new Date(Date.now() - DAY_MS),
      }),
  },
  {
    attack: 'presenting a certificate that is not yet valid (RFC 5280 §4.1.2.5)',
    code: 'CERTIFICATE_NOT_YET_VALID',
    certificate: () =>
      issueCertificate(authority, {
        notBefore: new Date(Date.now() + DAY_MS),
        notAfter: new Date(Date.now() + 10 * DAY_MS),
      }),
  },
  {
    attack: 'impersonating the host with a valid certificate for another name (RFC 6125 §6)',
    code: 'HOSTNAME_MISMATCH',
    certificate: () => issueCertificate(authority, { hosts: ['other.example.test'] }),
  },
  {
    attack: 'impersonating an IP-literal host with a certificate for another IP (RFC 6125 §6, IP SAN)',
    code: 'HOSTNAME_MISMATCH',
    certificate: () => issueCertificate(authority, { hosts: ['127.0.0.2', 'localhost'] }),
  },
  {
    attack:
      'matching the IP through the subject CN of a certificate without subjectAltName (RFC 6125 §6.4.4)',
    code: 'HOSTNAME_MISMATCH',
    certificate: () => issueCertificate(authority, { subjectAltName: false, commonName: '127.0.0.1' }),
  },
  {
    attack: 'matching a DNS name through the subject CN fallback Node still honours (RFC 9525 §6.3)',
    code: 'HOSTNAME_MISMATCH',
    certificate: () => issueCertificate(authority, { subjectAltName: false, commonName: 'localhost' }),
    host: 'localhost',
  },
  {
    attack: 'interception with a self-signed certificate (RFC 5280 §6)',
    code: 'CERTIFICATE_UNTRUSTED',
    certificate: () => createSelfSignedCertificate(),
  },
  {
    attack: 'interception with a certificate from an untrusted root (RFC 5280 §6)',
    code: 'CERTIFICATE_UNTRUSTED',
    certificate: async () => issueCertificate(await createCertificateAuthority()),
  },
  {
    attack: 'factoring an RSA-1024 server key (RFC 9325 §4.4)',
    code: 'CERTIFICATE_WEAK_KEY',
    certificate: () => issueCertificate(authority, { keyType: 'rsa-1024' }),
  },
  {
    attack: 'forging a certificate through a SHA-1 collision (RFC 9155, SHAttered)',
    code: 'CERTIFICATE_WEAK_SIGNATURE',
    certificate: () => issueCertificate(authority, { signatureHash: 'SHA-1' }),
    serverCiphers: 'DEFAULT@SECLEVEL=0',
  },
];

describe('certificate defects are refused with their specific code', () => {
  for (const defect of defects) {
    it(`stops ${defect.attack}: ${defect.code} (driver path)`, async () => {
      const server = await serve(await defect.certificate(), { ciphers: defect.serverCiphers });
      const outcome = connectAndJudge(policy, server, { host: defect.host });
      await expect(outcome).rejects.toMatchObject({
        name: 'SecurityError',
        code: defect.code,
        diagnosis: 'certificate-rejected',
      });
    });

    it(`stops ${defect.attack}: ${defect.code} even with loosened caller options`, async () => {
      const server = await serve(await defect.certificate(), { ciphers: defect.serverCiphers });
      const outcome = connectAndJudge(policy, server, { host: defect.host, loosen: LOOSENED });
      // No diagnosis: the handshake completed and the judge refused on its own.
      await expect(outcome).rejects.toMatchObject({
        name: 'SecurityError',
        code: defect.code,
        diagnosis: undefined,
      });
    });
  }

  it('stops a leaf posing as a CA to sign another leaf (RFC 5280 §4.2.1.9 basicConstraints)', async () => {
    const fakeIntermediate = await issueCertificate(authority, { hosts: ['intermediate.example.test'] });
    const fakeAuthority = await importAsAuthority(fakeIntermediate);
    const leaf = await issueCertificate(fakeAuthority);
    const server = await serve(leaf, { chain: fakeIntermediate.certificatePem });
    await expect(connectAndJudge(policy, server)).rejects.toMatchObject({ code: 'CERTIFICATE_UNTRUSTED' });
    await expect(connectAndJudge(policy, server, { loosen: LOOSENED })).rejects.toMatchObject({
      code: 'CERTIFICATE_UNTRUSTED',
    });
  });

  it('stops a caller-supplied ca from replacing the policy roots (RFC 5280 §6: the trust anchors are the policy)', async () => {
    const otherAuthority = await createCertificateAuthority();
    const server = await serve(await issueCertificate(otherAuthority));
    const outcome = connectAndJudge(policy, server, { loosen: { ca: otherAuthority.certificatePem } });
    await expect(outcome).rejects.toMatchObject({ code: 'CERTIFICATE_UNTRUSTED' });
  });

  it('messages name the policy, the defect and the host without leaking anything secret', async () => {
    const server = await serve(
      await issueCertificate(authority, {
        notBefore: new Date(Date.now() - 10 * DAY_MS),
        notAfter: new Date(Date.now() - DAY_MS),
      }),
    );
    const error = await connectAndJudge(policy, server, { loosen: LOOSENED }).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toMatch(/refused \(policy implicit-tls, trust pkix\).*expired at/);
    expect((error as Error).message).not.toMatch(/PRIVATE KEY/);
  });
});

async function importAsAuthority(certificate: IssuedCertificate): Promise<CertificateAuthority> {
  const { webcrypto, X509Certificate } = await import('node:crypto');
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const pkcs8 = Buffer.from(certificate.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const spki = new X509Certificate(certificate.certificatePem).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']);
  return {
    certificatePem: certificate.certificatePem,
    commonName: 'intermediate.example.test',
    keys: { privateKey, publicKey } as unknown as CertificateAuthority['keys'],
  };
}

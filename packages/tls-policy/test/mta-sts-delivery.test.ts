// MTA-STS in a real handshake (RFC 8461 §4.2): under an `enforce` policy the MX must present a
// PKIX-valid certificate naming the MX host, and the receipt records that MTA-STS decided.
import { createCertificateAuthority, issueCertificate } from '@strictmail/mock-server/certificates';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMtaStsPolicy, tlsPolicyForMx } from '../src/index';
import { connectAndJudge, startTlsServer, type TestServer } from './tls-harness';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('MTA-STS enforce delivery over real TLS', () => {
  it('verifies the MX name from the policy and records decidedBy mta-sts', async () => {
    const authority = await createCertificateAuthority();
    const parsed = parseMtaStsPolicy('version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 86400\n');
    if (!parsed.valid) throw new Error(parsed.reason);
    const { policy } = tlsPolicyForMx(parsed.policy, 'mx1.example.test', { ca: authority.certificatePem });
    const good = await issueCertificate(authority, { hosts: ['mx1.example.test'] });
    const impostor = await issueCertificate(authority, { hosts: ['mx2.example.test'] });
    for (const certificate of [good, impostor]) {
      servers.push(
        await startTlsServer({
          key: certificate.privateKeyPem,
          cert: certificate.certificatePem,
          minVersion: 'TLSv1.2',
        }),
      );
    }
    const [goodServer, impostorServer] = servers as [TestServer, TestServer];
    const { receipt } = await connectAndJudge(policy, goodServer, { trustSource: 'mta-sts' });
    expect(receipt).toMatchObject({
      decidedBy: 'mta-sts',
      serverName: 'mx1.example.test',
      hostnameVerified: true,
    });
    // Another host of the same domain, with a valid certificate for itself, is not the MX we dialled (RFC 6125 §6).
    await expect(connectAndJudge(policy, impostorServer, { trustSource: 'mta-sts' })).rejects.toMatchObject({
      code: 'HOSTNAME_MISMATCH',
    });
  });
});

// `check` against local mock servers: each kind of server a user may point it at, and what it must say.
import { createMockSmtpServer, type MockSmtpServer } from '@strictmail/mock-server';
import {
  createSelfSignedCertificate,
  issueCertificate,
  sharedCertificateAuthority,
} from '@strictmail/mock-server/certificates';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../src/check/check-report';
import { parseTarget } from '../src/commands/check';
import { runMain, temporaryDirectory } from './support/run-main';

const files = temporaryDirectory();
const servers: MockSmtpServer[] = [];

async function server(options: Parameters<typeof createMockSmtpServer>[0]): Promise<MockSmtpServer> {
  const started = await createMockSmtpServer(options);
  servers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((each) => each.close()));
});
afterAll(() => files.remove());

async function checkJson(argv: string[]): Promise<{ code: number; report: CheckReport; stderr: string }> {
  const run = await runMain(['check', ...argv, '--json']);
  return { code: run.code, report: JSON.parse(run.stdout) as CheckReport, stderr: run.stderr };
}

describe('check', () => {
  let caFile: string;
  beforeAll(async () => {
    const probe = await createMockSmtpServer();
    caFile = files.file('ca.pem', probe.ca);
    await probe.close();
  });

  it('finds STARTTLS, verifies the certificate against --ca and confirms requireStarttls', async () => {
    const mock = await server({ mode: 'starttls' });
    const { code, report } = await checkJson([`127.0.0.1:${mock.port}`, '--ca', caFile]);
    expect(code).toBe(0);
    expect(report.entry).toBe('starttls');
    expect(report.capabilitiesBeforeTls).toContain('STARTTLS');
    expect(report.authBeforeTlsReply).not.toBe(334);
    expect(report.authAfterTls).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN']));
    expect(report.certificate?.chainVerified).toBe(true);
    expect(report.certificate?.hostnameVerified).toBe(true);
    const accepted = report.probes.filter((probe) => probe.accepted).map((probe) => probe.version);
    expect(accepted).toEqual(expect.arrayContaining(['TLSv1.3', 'TLSv1.2']));
    expect(accepted).not.toContain('TLSv1.1 or older');
    expect(report.policy?.code).toBe("requireStarttls({ ca: readFileSync('ca.pem', 'utf8') })");
    expect(report.policy?.receipt.decidedBy).toBe('pkix');
    expect(report.policy?.receipt.entry).toBe('starttls');
  });

  it('finds implicit TLS and recommends a pin, never disabled verification, for a self-signed server', async () => {
    const selfSigned = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] });
    const mock = await server({
      mode: 'implicit-tls',
      tls: { key: selfSigned.privateKeyPem, cert: selfSigned.certificatePem },
    });
    const { code, report } = await checkJson([`127.0.0.1:${mock.port}`]);
    expect(code).toBe(0);
    expect(report.entry).toBe('implicit-tls');
    expect(report.certificate?.selfSigned).toBe(true);
    expect(report.certificate?.chainVerified).toBe(false);
    expect(report.certificate?.leafSpkiSha256).toBe(selfSigned.spkiSha256);
    expect(report.policy?.constructorName).toBe('implicitTls');
    expect(report.policy?.options).toEqual({ pins: [selfSigned.spkiSha256], pinsOnly: true });
    expect(report.policy?.receipt.decidedBy).toBe('pin');
    expect(report.findings.some((finding) => finding.topic === 'inspection')).toBe(true);
  });

  it('reports a server without STARTTLS as unusable (what a stripped EHLO looks like, RFC 3207 §4)', async () => {
    const mock = await server({ mode: 'plaintext' });
    const { code, report } = await checkJson([`127.0.0.1:${mock.port}`, '--timeout', '3000']);
    expect(code).toBe(1);
    expect(report.entry).toBe('none');
    expect(report.policy).toBeUndefined();
    expect(report.findings).toContainEqual(
      expect.objectContaining({ level: 'fail', topic: 'starttls-missing' }),
    );
  });

  it('warns when the server invites AUTH PLAIN before TLS', async () => {
    const mock = await server({ mode: 'starttls', auth: { allowBeforeTls: true } });
    const { report } = await checkJson([`127.0.0.1:${mock.port}`, '--ca', caFile]);
    expect(report.authBeforeTls).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN']));
    expect(report.authBeforeTlsReply).toBe(334);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ level: 'warn', topic: 'auth-before-tls' }),
    );
  });

  it('probes TLS 1.3 and 1.2 separately: a TLS 1.2-only server is reported as such', async () => {
    const mock = await server({ mode: 'starttls', tls: { maxVersion: 'TLSv1.2' } });
    const { code, report } = await checkJson([`127.0.0.1:${mock.port}`, '--ca', caFile]);
    expect(code).toBe(0);
    const byVersion = Object.fromEntries(report.probes.map((probe) => [probe.version, probe]));
    expect(byVersion['TLSv1.3']?.accepted).toBe(false);
    expect(byVersion['TLSv1.2']?.accepted).toBe(true);
    expect(byVersion['TLSv1.2']?.cipher).toMatch(/^TLS_ECDHE_ECDSA_WITH_(AES_\d+_GCM|CHACHA20)/);
    expect(report.policy?.receipt.protocol).toBe('TLSv1.2');
  });

  it('reports the legacy TLS 1.2 suites and TLS versions a server still accepts (RFC 9325 §4, RFC 8996)', async () => {
    const permissive = await server({
      mode: 'starttls',
      tls: { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' },
    });
    const { report } = await checkJson([`127.0.0.1:${permissive.port}`, '--ca', caFile]);
    const byVersion = Object.fromEntries(report.probes.map((probe) => [probe.version, probe]));
    expect(byVersion['TLSv1.1 or older']).toMatchObject({ accepted: true, method: 'inspection' });
    expect(byVersion['TLSv1.2 weak suites']?.cipher).toMatch(/_CBC_|^TLS_RSA_/);
    expect(report.findings).toContainEqual(expect.objectContaining({ level: 'warn', topic: 'legacy-tls' }));
    expect(report.policy?.receipt.protocol).toBe('TLSv1.3');

    const strict = await server({
      mode: 'starttls',
      tls: { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305' },
    });
    const strictReport = (await checkJson([`127.0.0.1:${strict.port}`, '--ca', caFile])).report;
    const strictProbes = Object.fromEntries(strictReport.probes.map((probe) => [probe.version, probe]));
    expect(strictProbes['TLSv1.2 weak suites']?.accepted).toBe(false);
    expect(strictProbes['TLSv1.1 or older']?.accepted).toBe(false);
    expect(strictProbes['TLSv1.2']?.accepted).toBe(true);
  });

  it('suggests serverName for a trusted certificate that names another host (RFC 6125 §6)', async () => {
    const leaf = await issueCertificate(await sharedCertificateAuthority(), { hosts: ['mail.example.test'] });
    const mock = await server({
      mode: 'starttls',
      tls: { key: leaf.privateKeyPem, cert: leaf.certificatePem },
    });
    const { code, report } = await checkJson([`127.0.0.1:${mock.port}`, '--ca', caFile]);
    expect(code).toBe(0);
    expect(report.certificate).toMatchObject({ chainVerified: true, hostnameVerified: false });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ level: 'warn', topic: 'certificate-name' }),
    );
    expect(report.policy?.options).toEqual({ serverName: 'mail.example.test' });
    expect(report.policy?.receipt).toMatchObject({
      serverName: 'mail.example.test',
      hostnameVerified: true,
      decidedBy: 'pkix',
    });
  });

  it('keeps --servername in the recommended policy and checks the certificate against it', async () => {
    const leaf = await issueCertificate(await sharedCertificateAuthority(), { hosts: ['mail.example.test'] });
    const mock = await server({
      mode: 'implicit-tls',
      tls: { key: leaf.privateKeyPem, cert: leaf.certificatePem },
    });
    const { code, report } = await checkJson([
      `127.0.0.1:${mock.port}`,
      '--ca',
      caFile,
      '--servername',
      'mail.example.test',
    ]);
    expect(code).toBe(0);
    expect(report.certificate).toMatchObject({ nameChecked: 'mail.example.test', hostnameVerified: true });
    expect(report.policy?.code).toBe(
      "implicitTls({ ca: readFileSync('ca.pem', 'utf8'), serverName: 'mail.example.test' })",
    );
    expect(report.policy?.sendFlags).toContain('--servername mail.example.test');
  });

  it('recommends no policy for an expired certificate: it must be renewed, not pinned around', async () => {
    const day = 86_400_000;
    const leaf = await issueCertificate(await sharedCertificateAuthority(), {
      hosts: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 30 * day),
      notAfter: new Date(Date.now() - day),
    });
    const mock = await server({
      mode: 'starttls',
      tls: { key: leaf.privateKeyPem, cert: leaf.certificatePem },
    });
    const { code, report } = await checkJson([`127.0.0.1:${mock.port}`, '--ca', caFile]);
    expect(code).toBe(1);
    expect(report.certificate?.expired).toBe(true);
    expect(report.policy).toBeUndefined();
    expect(report.findings).toContainEqual(
      expect.objectContaining({ level: 'fail', topic: 'certificate-expiry' }),
    );
  });

  it('reports a port where nothing listens as unusable, without a stack trace', async () => {
    const closed = await server({ mode: 'starttls' });
    const port = closed.port;
    await closed.close();
    const { code, report } = await checkJson([`127.0.0.1:${port}`, '--timeout', '2000']);
    expect(code).toBe(1);
    expect(report.entry).toBe('none');
    expect(report.findings).toContainEqual(expect.objectContaining({ level: 'fail', topic: 'no-smtp' }));
  });

  it('treats an unreadable --ca file as a usage error (exit 2), before connecting', async () => {
    const run = await runMain(['check', '127.0.0.1:1', '--ca', '/nonexistent/ca.pem']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read the CA file "/nonexistent/ca.pem"');
  });

  it('prints a readable report without colour when stdout is not a terminal', async () => {
    const mock = await server({ mode: 'starttls' });
    const run = await runMain(['check', `127.0.0.1:${mock.port}`, '--ca', caFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`strictmail check 127.0.0.1:${mock.port}`);
    expect(run.stdout).toContain('requireStarttls(');
    expect(run.stdout).not.toContain('\u001b[');
  });
});

describe('parseTarget', () => {
  it.each([
    ['smtp.example.com', 'smtp.example.com', undefined],
    ['smtp.example.com:587', 'smtp.example.com', 587],
    ['127.0.0.1:2525', '127.0.0.1', 2525],
    ['[::1]:465', '::1', 465],
    ['::1', '::1', undefined],
  ])('%s', (text, host, port) => {
    expect(parseTarget(text)).toEqual({ host, port });
  });

  it('refuses a port out of range, an empty port and a bare IPv6 literal with a port', () => {
    expect(() => parseTarget('host:70000')).toThrow(/between 1 and 65535/);
    expect(() => parseTarget('127.0.0.1:')).toThrow(/not HOST or HOST:PORT/);
    expect(() => parseTarget('::1:25:x')).toThrow(/not HOST or HOST:PORT/);
  });
});

// `send` against local mock servers, configured the way `strictmail-mock audit` configures a client:
// through the environment variables of the client command contract, plus the flags a user would type.
import { createMockSmtpServer, type MockSmtpServer } from '@strictmail/mock-server';
import { createSelfSignedCertificate } from '@strictmail/mock-server/certificates';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runMain, temporaryDirectory } from './support/run-main';

const files = temporaryDirectory();
const servers: MockSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(() => files.remove());

async function server(options: Parameters<typeof createMockSmtpServer>[0]): Promise<MockSmtpServer> {
  const started = await createMockSmtpServer(options);
  servers.push(started);
  return started;
}

function contract(
  mock: MockSmtpServer,
  security: 'starttls' | 'implicit',
  overrides: Record<string, string> = {},
) {
  return {
    SMTP_HOST: mock.host,
    SMTP_PORT: String(mock.port),
    SMTP_SECURITY: security,
    SMTP_CA_FILE: files.file(`ca-${mock.port}.pem`, mock.ca),
    SMTP_USER: 'alice',
    SMTP_PASS: 'correct horse battery staple',
    MAIL_FROM: 'alice@example.test',
    MAIL_TO: 'bob@example.test,carol@example.test',
    MAIL_SUBJECT: 'hello from the contract',
    MAIL_BODY_FILE: files.file('body.txt', 'The body, from MAIL_BODY_FILE.\n'),
    ...overrides,
  };
}

describe('send', () => {
  it('delivers over verified STARTTLS, authenticated, and prints the TLS receipt', async () => {
    const mock = await server({
      mode: 'starttls',
      auth: { accept: [{ user: 'alice', pass: 'correct horse battery staple' }], required: true },
    });
    const run = await runMain(['send'], contract(mock, 'starttls'));
    expect(run.stderr).not.toContain('✖');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Message accepted');
    expect(run.stdout).toContain('TLS receipt');
    expect(run.stdout).toContain('STARTTLS (RFC 3207), then EHLO again over TLS');
    const message = await mock.waitForMessage({ subject: 'hello from the contract' });
    expect(message.envelope.to).toEqual(['bob@example.test', 'carol@example.test']);
    expect(message.user).toBe('alice');
    expect(message.tls?.entry).toBe('starttls');
    expect(message.parsed.text).toContain('The body, from MAIL_BODY_FILE.');
  });

  it('delivers over implicit TLS and reports the receipt as JSON', async () => {
    const mock = await server({ mode: 'implicit-tls' });
    const run = await runMain(['send', '--json', '--subject', 'flag wins'], contract(mock, 'implicit'));
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.accepted).toEqual(['bob@example.test', 'carol@example.test']);
    expect(result.tls).toMatchObject({
      entry: 'implicit-tls',
      chainVerified: true,
      hostnameVerified: true,
      decidedBy: 'pkix',
    });
    await expect(mock.waitForMessage({ subject: 'flag wins' })).resolves.toBeDefined();
  });

  it('refuses a server without STARTTLS (STARTTLS stripping, RFC 3207 §4): exit 1, advice, nothing sent', async () => {
    const mock = await server({ mode: 'plaintext' });
    const run = await runMain(['send'], contract(mock, 'starttls'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('STARTTLS_STRIPPED');
    expect(run.stderr).toContain('What to do:');
    expect(mock.messages).toHaveLength(0);
    expect(mock.sessions.every((session) => session.authAttempts.length === 0)).toBe(true);
  });

  it('refuses a certificate from a CA it was not told to trust (RFC 5280 §6), and says how to fix it', async () => {
    const mock = await server({ mode: 'starttls' });
    const { SMTP_CA_FILE: _ignored, ...withoutCa } = contract(mock, 'starttls');
    const run = await runMain(['send', '--json'], withoutCa);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('CERTIFICATE_UNTRUSTED');
    expect(result.error.advice).toContain('check');
    expect(mock.messages).toHaveLength(0);
  });

  it('accepts a self-signed server only through its SPKI pin (--pin --pins-only)', async () => {
    const selfSigned = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] });
    const mock = await server({
      mode: 'starttls',
      tls: { key: selfSigned.privateKeyPem, cert: selfSigned.certificatePem },
    });
    const { SMTP_CA_FILE: _ignored, ...environment } = contract(mock, 'starttls');
    const pinned = await runMain(
      ['send', '--json', '--pin', selfSigned.spkiSha256, '--pins-only'],
      environment,
    );
    expect(pinned.code).toBe(0);
    expect(JSON.parse(pinned.stdout).tls).toMatchObject({
      decidedBy: 'pin',
      leafSpkiSha256: selfSigned.spkiSha256,
    });
    const otherKey = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] });
    const wrongPin = await runMain(
      ['send', '--json', '--pin', otherKey.spkiSha256, '--pins-only'],
      environment,
    );
    expect(wrongPin.code).toBe(1);
    expect(JSON.parse(wrongPin.stdout).error.code).toBe('PIN_MISMATCH');
    expect(mock.messages).toHaveLength(1);
  });

  it('exits 1 when a recipient is rejected, naming who got the message and who did not', async () => {
    const mock = await server({
      mode: 'starttls',
      faults: [{ at: 'rcpt', recipient: 'carol@example.test', reply: 550, text: '5.1.1 no such user' }],
    });
    const run = await runMain(['send', '--json'], contract(mock, 'starttls'));
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      ok: false,
      accepted: ['bob@example.test'],
      rejected: ['carol@example.test'],
    });
    expect(result.tls.entry).toBe('starttls');
    const message = await mock.waitForMessage({ subject: 'hello from the contract' });
    expect(message.envelope.to).toEqual(['bob@example.test']);
  });

  it('exits 2 with the flag and variable named when the host is missing', async () => {
    const run = await runMain(['send', '--from', 'a@example.test', '--to', 'b@example.test']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--host is required');
    expect(run.stderr).toContain('SMTP_HOST');
  });

  it('refuses a plaintext security mode: the example has no way to send without verified TLS', async () => {
    const run = await runMain([
      'send',
      '--host',
      '127.0.0.1',
      '--security',
      'none',
      '--from',
      'a@x.test',
      '--to',
      'b@x.test',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not 'starttls' or 'implicit'");
  });
});

// The ./vitest subpath: fixtures give each test its own server, and the matchers fail when they should
// (an insecure nodemailer leaks in plaintext) and pass when they should (verified STARTTLS, implicit TLS).
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { createMockSmtpServer, type MockSmtpServer } from '../server/create-mock-smtp-server';
import type { MockSmtpSession } from '../server/session';
import { RawSmtpClient } from '../server/test-support/raw-client';
import { createSmtpTest, plaintextFindings, useMockSmtpServer } from '../vitest';

const mail = { from: 'alice@example.test', to: 'bob@example.test', subject: 'Payroll', text: 'marker-7f3a' };

function client(server: MockSmtpServer, extra: Record<string, unknown> = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.port,
    secure: server.mode === 'implicit-tls',
    tls: { ca: server.ca },
    auth: { user: 'alice', pass: 'hunter2' },
    ...extra,
  });
}

describe('useMockSmtpServer', () => {
  const handle = useMockSmtpServer({ mode: 'plaintext' });
  let previousPort = 0;

  it('gives the test a running server', async () => {
    previousPort = handle.server.port;
    await client(handle.server).sendMail(mail);
    expect(handle.server).toHaveReceivedMessage({ subject: 'Payroll' });
  });

  it('gives the next test a fresh one', () => {
    expect(handle.server.port).not.toBe(previousPort);
    expect(handle.server.messages).toHaveLength(0);
  });
});

describe('createSmtpTest', () => {
  const smtpTest = createSmtpTest({ mode: 'implicit-tls' });
  smtpTest('passes a fresh server as { smtp }', async ({ smtp }) => {
    await client(smtp).sendMail(mail);
    expect(smtp.mode).toBe('implicit-tls');
    expect(smtp.sessions[0]).toHaveUsedTls({ minVersion: 'TLSv1.3', entry: 'implicit-tls' });
  });
});

describe('toHaveNoPlaintextSecrets', () => {
  const handle = useMockSmtpServer({ mode: 'plaintext' });

  it('catches an insecure nodemailer that authenticates and sends mail without TLS (RFC 3207 §4 stripping)', async () => {
    await client(handle.server).sendMail(mail);
    const session = handle.server.sessions[0];
    expect(session).not.toHaveNoPlaintextSecrets();
    let failure = '';
    try {
      expect(session).toHaveNoPlaintextSecrets({ secrets: ['marker-7f3a'] });
    } catch (error) {
      failure = String(error);
    }
    expect(failure).toContain('AUTH command(s) were sent before TLS');
    expect(failure).toContain('the password of AUTH attempt 1 (7 characters) appears base64-encoded');
    expect(failure).toContain('the envelope address <alice@example.test>');
    expect(failure).toContain(
      'secret #1 given to the matcher (11 characters) appears in the plaintext phase',
    );
    expect(failure).not.toContain('hunter2');
    expect(handle.server).not.toHaveNoPlaintextSecrets();
    expect(() => expect(handle.server).toHaveNoPlaintextSecrets()).toThrow(
      /session #1 \(\w+\): 1 AUTH command/,
    );
  });

  it('catches a password sent before STARTTLS even when the server refused that AUTH with 538', async () => {
    const raw = await RawSmtpClient.connect(handle.server.port);
    await raw.reply();
    await raw.command('EHLO client.test');
    await raw.command(`AUTH PLAIN ${Buffer.from('\0alice\0hunter2').toString('base64')}`);
    raw.close();
    expect(handle.server.sessions[0]).not.toHaveNoPlaintextSecrets();
  });
});

describe('plaintextFindings', () => {
  const handle = useMockSmtpServer({ mode: 'plaintext' });

  it('reports the AUTH command but does not search a 3-character password (it would match protocol text)', async () => {
    await client(handle.server, { auth: { user: 'alice', pass: 'abc' } }).sendMail(mail);
    const findings = plaintextFindings(handle.server.sessions[0] as MockSmtpSession);
    expect(findings).toContain('1 AUTH command(s) were sent before TLS');
    expect(findings.some((finding) => finding.includes('password'))).toBe(false);
  });
});

describe('matchers on a careful client', () => {
  const handle = useMockSmtpServer();

  it('pass for nodemailer with requireTLS over verified STARTTLS', async () => {
    await client(handle.server, { requireTLS: true }).sendMail(mail);
    const session = handle.server.sessions[0];
    expect(session).toHaveNoPlaintextSecrets({ secrets: ['marker-7f3a', 'hunter2'] });
    expect(session).toHaveUsedTls({ minVersion: 'TLSv1.2', entry: 'starttls' });
    expect(handle.server).toHaveNoPlaintextSecrets();
    expect(handle.server).toHaveReceivedMessage({ to: 'bob@example.test', text: 'marker-7f3a' });
    expect(handle.server).not.toHaveReceivedMessage({ to: 'mallory@example.test' });
  });

  it('toHaveUsedTls fails for a session that never started TLS and for one below minVersion', async () => {
    const raw = await RawSmtpClient.connect(handle.server.port);
    await raw.reply();
    await raw.command('QUIT');
    await raw.closedByServer();
    expect(() => expect(handle.server.sessions[0]).toHaveUsedTls()).toThrow('the session never started TLS');
    await using tls12Server = await createMockSmtpServer({ tls: { maxVersion: 'TLSv1.2' } });
    const tls12 = await RawSmtpClient.connect(tls12Server.port);
    await tls12.reply();
    await tls12.command('EHLO client.test');
    await tls12.command('STARTTLS');
    await tls12.startTls(tls12Server.ca);
    // A command round trip inside TLS: the server has recorded the handshake by the time it answers.
    await tls12.command('EHLO client.test');
    tls12.close();
    const session = tls12Server.sessions[0];
    expect(session).toHaveUsedTls({ minVersion: 'TLSv1.2', entry: 'starttls' });
    expect(() => expect(session).toHaveUsedTls({ minVersion: 'TLSv1.3' })).toThrow(
      'it negotiated TLSv1.2, below TLSv1.3',
    );
    expect(() => expect(session).toHaveUsedTls({ entry: 'implicit-tls' })).toThrow(
      'TLS started by starttls, not implicit-tls',
    );
  });

  it('toHaveReceivedMessage lists what did arrive when it fails', async () => {
    await client(handle.server, { requireTLS: true }).sendMail(mail);
    expect(() => expect(handle.server).toHaveReceivedMessage({ subject: 'Other' })).toThrow(
      /received 1 message\(s\):\n {2}#1 from <alice@example.test> to <bob@example.test>: "Payroll"/,
    );
  });

  it('rejects a value that is not a session or server', () => {
    expect(() => expect({}).toHaveNoPlaintextSecrets()).toThrow(
      'expected a MockSmtpSession (server.sessions[i]) or a MockSmtpServer',
    );
    expect(() => expect(42).toHaveReceivedMessage()).toThrow('expected a MockSmtpServer');
  });
});

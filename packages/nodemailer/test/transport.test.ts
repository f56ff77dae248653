// The custom transport contract as nodemailer's Mail object uses it (lib/mailer/index.js): name and
// version, send through sendMail, verify() as a promise or with a callback, signals, and the errors
// nodemailer users already handle, each produced by a real server and a real TLS stack.
import { readFileSync } from 'node:fs';
import { createMockSmtpServer } from '@strictmail/mock-server';
import { createCertificateAuthority } from '@strictmail/mock-server/certificates';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { type StrictmailTransportOptions, strictmail, TransportError } from '../src/index';

const packageVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

async function withServer<T>(
  serverOptions: Parameters<typeof createMockSmtpServer>[0],
  options: (server: { port: number; ca: string }) => Partial<StrictmailTransportOptions>,
  run: (context: {
    transporter: ReturnType<typeof nodemailer.createTransport>;
    server: Awaited<ReturnType<typeof createMockSmtpServer>>;
  }) => Promise<T>,
): Promise<T> {
  const server = await createMockSmtpServer(serverOptions);
  const transporter = nodemailer.createTransport(
    strictmail({
      host: '127.0.0.1',
      port: server.port,
      security: 'require-starttls',
      tls: { ca: server.ca },
      ...options(server),
    }),
  );
  try {
    return await run({ transporter, server });
  } finally {
    await transporter.close();
    await server.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    expect(TransportError.isInstance(error)).toBe(true);
    return error as TransportError;
  }
  throw new Error('expected the promise to reject');
}

const message = { from: 'sender@example.com', to: 'recipient@example.com', subject: 'Hi', text: 'Hello' };

describe('the transport contract', () => {
  it('has a name and the package version, as nodemailer logs them', () => {
    const transport = strictmail({ host: '127.0.0.1', port: 465 });
    expect(transport.name).toBe('strictmail');
    expect(transport.version).toBe(packageVersion);
    expect(transport.isIdle()).toBe(true);
  });

  it('verify() resolves true without a callback and calls back with one', async () => {
    await withServer(
      {},
      () => ({ auth: { user: 'u', pass: 'p' } }),
      async ({ transporter, server }) => {
        await expect(transporter.verify()).resolves.toBe(true);
        const viaCallback = await new Promise((resolve, reject) => {
          transporter.verify((error, success) => (error ? reject(error) : resolve(success)));
        });
        expect(viaCallback).toBe(true);
        expect(server.sessions.length).toBe(2);
        for (const session of server.sessions) expect(session.order).toEqual(['tls', 'auth']);
      },
    );
  });

  it('verifyConnection() returns the TLS receipt of a fresh session', async () => {
    const server = await createMockSmtpServer({ mode: 'implicit-tls' });
    const transport = strictmail({
      host: '127.0.0.1',
      port: server.port,
      security: 'implicit-tls',
      tls: { ca: server.ca },
    });
    try {
      const check = await transport.verifyConnection();
      expect(check.tls).toMatchObject({ entry: 'implicit-tls', chainVerified: true, hostnameVerified: true });
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('sends over implicit TLS with an implicit-tls receipt', async () => {
    const server = await createMockSmtpServer({ mode: 'implicit-tls' });
    const transporter = nodemailer.createTransport(
      strictmail({ host: '127.0.0.1', port: server.port, security: 'implicit-tls', tls: { ca: server.ca } }),
    );
    try {
      const info = await transporter.sendMail(message);
      expect(info.tls).toMatchObject({ entry: 'implicit-tls', chainVerified: true });
      expect(server.messages).toHaveLength(1);
    } finally {
      await transporter.close();
      await server.close();
    }
  });

  it('reports partially rejected recipients as nodemailer does', async () => {
    await withServer(
      { faults: [{ at: 'rcpt', recipient: 'nobody@example.com', reply: 550, text: '5.1.1 No such user' }] },
      () => ({}),
      async ({ transporter, server }) => {
        const info = await transporter.sendMail({
          ...message,
          to: ['recipient@example.com', 'nobody@example.com'],
        });
        expect(info.accepted).toEqual(['recipient@example.com']);
        expect(info.rejected).toEqual(['nobody@example.com']);
        expect(info.rejectedErrors).toHaveLength(1);
        expect(info.rejectedErrors[0]).toMatchObject({
          code: 'EENVELOPE',
          responseCode: 550,
          recipient: 'nobody@example.com',
        });
        expect(server.messages[0]?.envelope.to).toEqual(['recipient@example.com']);
      },
    );
  });

  it('every recipient rejected is EENVELOPE with the reply and nothing is sent', async () => {
    await withServer(
      { faults: [{ at: 'rcpt', reply: 550, text: '5.1.1 No such user' }] },
      () => ({}),
      async ({ transporter, server }) => {
        const error = await rejection(transporter.sendMail(message));
        expect(error.code).toBe('EENVELOPE');
        expect(error.command).toBe('RCPT TO');
        expect(error.responseCode).toBe(550);
        expect(error.response).toContain('No such user');
        expect(error.permanent).toBe(true);
        expect(server.messages).toHaveLength(0);
      },
    );
  });

  it('a failed AUTH is EAUTH with the 535 reply, and the password appears nowhere in the error', async () => {
    const password = 'wrong-password-7f3a';
    await withServer(
      { auth: { accept: [{ user: 'user', pass: 'right-password' }] } },
      () => ({ auth: { user: 'user', pass: password } }),
      async ({ transporter }) => {
        const error = await rejection(transporter.sendMail(message));
        expect(error.code).toBe('EAUTH');
        expect(error.responseCode).toBe(535);
        expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
          password,
        );
      },
    );
  });

  it('a 552 after the data is EMESSAGE', async () => {
    await withServer(
      { faults: [{ at: 'data-end', reply: 552, text: '5.3.4 Too big' }] },
      () => ({}),
      async ({ transporter }) => {
        const error = await rejection(transporter.sendMail(message));
        expect(error.code).toBe('EMESSAGE');
        expect(error.responseCode).toBe(552);
      },
    );
  });

  it('STARTTLS stripped (RFC 3207 §4): ETLS / STARTTLS_STRIPPED, and no AUTH or MAIL leaves the client', async () => {
    await withServer(
      { mode: 'plaintext' },
      () => ({ auth: { user: 'u', pass: 'secret-pass' } }),
      async ({ transporter, server }) => {
        const error = await rejection(transporter.sendMail(message));
        expect(error.code).toBe('ETLS');
        expect(error.strictmailCode).toBe('STARTTLS_STRIPPED');
        const verbs = server.sessions.flatMap((session) => session.commands.map((command) => command.verb));
        expect(verbs).not.toContain('AUTH');
        expect(verbs).not.toContain('MAIL');
      },
    );
  });

  it('a certificate from another CA is ETLS / CERTIFICATE_UNTRUSTED, before any credential', async () => {
    const otherAuthority = await createCertificateAuthority({ commonName: 'someone else' });
    await withServer(
      {},
      () => ({ tls: { ca: otherAuthority.certificatePem }, auth: { user: 'u', pass: 'secret-pass' } }),
      async ({ transporter, server }) => {
        const error = await rejection(transporter.verify());
        expect(error.code).toBe('ETLS');
        expect(error.strictmailCode).toBe('CERTIFICATE_UNTRUSTED');
        expect(server.sessions.every((session) => session.auth === null)).toBe(true);
      },
    );
  });

  it('a message whose attachment cannot be read is ESTREAM and is not delivered', async () => {
    await withServer(
      {},
      () => ({}),
      async ({ transporter, server }) => {
        const error = await rejection(
          transporter.sendMail({
            ...message,
            attachments: [{ path: '/nonexistent/strictmail-attachment.pdf' }],
          }),
        );
        expect(error.code).toBe('ESTREAM');
        expect(server.messages).toHaveLength(0);
      },
    );
  });

  it('an aborted send is an AbortError with code EABORT', async () => {
    await withServer(
      { faults: [{ at: 'data-end', delayMs: 2_000 }] },
      () => ({}),
      async ({ transporter }) => {
        const controller = new AbortController();
        const sending = transporter.sendMail({ ...message, signal: controller.signal });
        setImmediate(() => controller.abort());
        const error = await rejection(sending);
        expect(error.code).toBe('EABORT');
        expect(error.name).toBe('AbortError');
      },
    );
  });

  it('per-message auth is refused (credentials belong to the transport)', async () => {
    await withServer(
      {},
      () => ({}),
      async ({ transporter, server }) => {
        const error = await rejection(transporter.sendMail({ ...message, auth: { user: 'x', pass: 'y' } }));
        expect(error.code).toBe('ECONFIG');
        expect(server.sessions).toHaveLength(0);
      },
    );
  });

  it('dangerous-plaintext is honoured when named, and the receipt says there was no TLS', async () => {
    const server = await createMockSmtpServer({ mode: 'plaintext' });
    const transporter = nodemailer.createTransport(
      strictmail({ host: '127.0.0.1', port: server.port, security: 'dangerous-plaintext' }),
    );
    try {
      const info = await transporter.sendMail(message);
      expect(info.tls).toBeNull();
      expect(server.messages).toHaveLength(1);
    } finally {
      await transporter.close();
      await server.close();
    }
  });
});

describe('transport hygiene', () => {
  it('transport.options shows the settings but never the password (invariant 9)', () => {
    const transport = strictmail({
      host: '127.0.0.1',
      port: 465,
      auth: { user: 'someone', pass: 'hunter2-secret' },
    });
    expect(transport.options).toMatchObject({ host: '127.0.0.1', port: 465, user: 'someone' });
    expect(JSON.stringify(transport.options)).not.toContain('hunter2-secret');
    expect(JSON.stringify(transport)).not.toContain('hunter2-secret');
  });

  it("a pooled transport announces 'idle' right away, as nodemailer's pool does", async () => {
    const transporter = nodemailer.createTransport(strictmail({ host: '127.0.0.1', port: 465, pool: true }));
    await new Promise<void>((resolve) => transporter.once('idle', () => resolve()));
    expect(transporter.isIdle()).toBe(true);
    await transporter.close();
  });
});

describe('credentials and extensions', () => {
  it('OAuth2: an accessToken function is called and XOAUTH2 succeeds over TLS', async () => {
    let calls = 0;
    await withServer(
      {
        auth: {
          accept: [{ user: 'oauth-user', accessToken: 'ya29.token-for-test' }],
          mechanisms: ['XOAUTH2'],
        },
      },
      () => ({
        auth: {
          type: 'OAuth2',
          user: 'oauth-user',
          accessToken: async () => {
            calls += 1;
            return 'ya29.token-for-test';
          },
        },
      }),
      async ({ transporter, server }) => {
        await transporter.sendMail(message);
        expect(calls).toBeGreaterThanOrEqual(1);
        expect(server.messages[0]?.user).toBe('oauth-user');
        expect(server.sessions[0]?.order).toEqual(['tls', 'auth', 'mail']);
      },
    );
  });

  it('no credential reaches the logger (invariant 9)', async () => {
    const password = 'logged-password-9c1e';
    const entries: string[] = [];
    const record = (level: string) => (object: object, text?: string) => {
      entries.push(`${level} ${text ?? ''} ${JSON.stringify(object)}`);
    };
    const logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    await withServer(
      {},
      () => ({ auth: { user: 'log-user', pass: password }, logger }),
      async ({ transporter }) => {
        await transporter.sendMail(message);
      },
    );
    expect(entries.length).toBeGreaterThan(0);
    const everything = entries.join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(Buffer.from(`\0log-user\0${password}`).toString('base64'));
  });

  it('requireTLSExtensionEnabled sends REQUIRETLS with MAIL FROM (RFC 8689)', async () => {
    await withServer(
      {},
      () => ({}),
      async ({ transporter, server }) => {
        await transporter.sendMail({ ...message, requireTLSExtensionEnabled: true });
        expect(server.messages[0]?.envelope.mailParameters.REQUIRETLS).toBe(true);
      },
    );
  });
});

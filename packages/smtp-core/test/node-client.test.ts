// Integration tests of createClient against a real smtp-server (STARTTLS and implicit TLS) and the
// scripted server (attacks), with a CA generated for the run. Every connection goes to 127.0.0.1 on a
// port chosen by the OS; nothing disables certificate verification.
import net from 'node:net';
import { Readable } from 'node:stream';
import { implicitTls, requireStarttls } from '@strictmail/tls-policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/node';
import { startScriptedServer } from './helpers/scripted-server';
import { startSmtpServer, type TestServer } from './helpers/smtp-server';

describe('createClient against smtp-server with STARTTLS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSmtpServer({
      users: { alice: 'correct horse' },
      refuseRecipients: ['nobody@example.com'],
    });
  });
  afterAll(() => server.close());

  const options = () => ({
    host: '127.0.0.1',
    port: server.port,
    policy: requireStarttls({ ca: server.ca }),
    auth: { user: 'alice', pass: 'correct horse' },
  });

  it('sends one message over verified STARTTLS with AUTH and returns a receipt', async () => {
    const client = createClient(options());
    try {
      const result = await client.send(
        { from: 'alice@example.com', to: ['bob@example.com'] },
        'Subject: hi\r\n\r\nHello over TLS.\r\n',
      );
      expect(result.accepted).toEqual(['bob@example.com']);
      expect(result.rejected).toEqual([]);
      expect(result.response).toMatch(/^250/);
      expect(result.tls).toMatchObject({
        entry: 'starttls',
        chainVerified: true,
        hostnameVerified: true,
        serverName: '127.0.0.1',
      });
      expect(result.messageSize).toBe(32);
      const received = server.messages.at(-1);
      expect(received).toMatchObject({ secure: true, user: 'alice', from: 'alice@example.com' });
      expect(received?.data.toString()).toBe('Subject: hi\r\n\r\nHello over TLS.\r\n');
    } finally {
      await client.close();
    }
  });

  it('delivers to many recipients and reports a partial rejection per recipient', async () => {
    const client = createClient(options());
    const recipients = [
      ...Array.from({ length: 60 }, (_, index) => `user${index}@example.com`),
      'nobody@example.com',
    ];
    try {
      const result = await client.send(
        { from: 'alice@example.com', to: recipients },
        'Subject: many\r\n\r\nx\r\n',
      );
      expect(result.accepted).toHaveLength(60);
      expect(result.rejected).toEqual(['nobody@example.com']);
      expect(result.rejectedErrors[0]).toMatchObject({
        code: 'RECIPIENT_REJECTED',
        replyCode: 550,
        recipient: 'nobody@example.com',
      });
      expect(server.messages.at(-1)?.to).toHaveLength(60);
    } finally {
      await client.close();
    }
  });

  it('fails with RECIPIENTS_REJECTED when every recipient is refused, and says so per recipient', async () => {
    const client = createClient(options());
    try {
      await expect(
        client.send({ from: 'alice@example.com', to: ['nobody@example.com'] }, 'x'),
      ).rejects.toMatchObject({
        code: 'RECIPIENTS_REJECTED',
        replyCode: 550,
        recipients: { accepted: [], rejected: ['nobody@example.com'], unknown: [] },
      });
    } finally {
      await client.close();
    }
  });

  it('reports wrong credentials as AUTH_FAILED without echoing them', async () => {
    const client = createClient({ ...options(), auth: { user: 'alice', pass: 'wrong password' } });
    try {
      const error = await client
        .send({ from: 'a@example.com', to: ['b@example.com'] }, 'x')
        .catch((failure: unknown) => failure);
      expect(error).toMatchObject({ code: 'AUTH_FAILED', kind: 'smtp-reply', replyCode: 535 });
      expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('wrong password');
    } finally {
      await client.close();
    }
  });

  it('verify() connects, sets up TLS and AUTH, and QUITs', async () => {
    const client = createClient(options());
    try {
      const result = await client.verify();
      expect(result.authenticated).toBe(true);
      expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(result.capabilities).toContain('PIPELINING');
      expect(result.capabilities.some((capability) => capability.startsWith('STARTTLS'))).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('streams a 50 MB message with bounded memory', async () => {
    const countingServer = await startSmtpServer({ countOnly: true });
    const client = createClient({
      host: '127.0.0.1',
      port: countingServer.port,
      policy: requireStarttls({ ca: countingServer.ca }),
    });
    const line = `${'x'.repeat(998)}\r\n`;
    const chunk = line.repeat(64);
    const chunks = Math.ceil((50 * 1024 * 1024) / chunk.length);
    let peak = 0;
    const baseline = process.memoryUsage().heapUsed;
    const body = Readable.from(
      (function* () {
        yield 'Subject: big\r\n\r\n';
        for (let index = 0; index < chunks; index++) {
          if (index % 64 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
          yield chunk;
        }
      })(),
    );
    try {
      const result = await client.send({ from: 'a@example.com', to: ['b@example.com'] }, body);
      expect(result.messageSize).toBe(16 + chunks * chunk.length);
      expect(countingServer.messages[0]?.size).toBe(result.messageSize);
      expect(peak).toBeLessThan(48 * 1024 * 1024);
    } finally {
      await client.close();
      await countingServer.close();
    }
  }, 60_000);

  it('reuses pooled connections, replaces them after maxMessages, and resumes TLS', async () => {
    const pooled = await startSmtpServer();
    const client = createClient({
      host: '127.0.0.1',
      port: pooled.port,
      policy: requireStarttls({ ca: pooled.ca }),
      pool: { maxConnections: 1, maxMessages: 3 },
    });
    try {
      const receipts = [];
      for (let index = 0; index < 6; index++) {
        receipts.push(
          (await client.send({ from: 'a@example.com', to: ['b@example.com'] }, `n=${index}`)).tls,
        );
      }
      expect(pooled.messages).toHaveLength(6);
      expect(pooled.connections()).toBe(2);
      expect(receipts[0]?.resumed).toBe(false);
      expect(receipts[3]?.resumed).toBe(true);
      expect(receipts[3]?.leafSpkiSha256).toBe(receipts[0]?.leafSpkiSha256);
      expect(client.isIdle()).toBe(true);
    } finally {
      await client.close();
      await pooled.close();
    }
  });

  it('honours an AbortSignal before and during a send', async () => {
    const client = createClient(options());
    try {
      await expect(
        client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'x', { signal: AbortSignal.abort() }),
      ).rejects.toMatchObject({ code: 'ABORTED' });
      const controller = new AbortController();
      const never = new Readable({ read() {} });
      never.push('Subject: slow\r\n\r\n');
      const pending = client.send({ from: 'a@example.com', to: ['b@example.com'] }, never, {
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 300);
      await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
      never.destroy();
    } finally {
      await client.close();
    }
  });

  it('fails a message whose body stream throws with BODY_STREAM_FAILED, and the server keeps nothing of it', async () => {
    const client = createClient(options());
    const before = server.messages.length;
    async function* broken() {
      yield 'Subject: half\r\n\r\nfirst part\r\n';
      throw new Error('disk read failed');
    }
    try {
      await expect(
        client.send({ from: 'a@example.com', to: ['b@example.com'] }, broken()),
      ).rejects.toMatchObject({
        code: 'BODY_STREAM_FAILED',
      });
      expect(server.messages.length).toBe(before);
    } finally {
      await client.close();
    }
  });

  it('logs a redacted transcript through a pino-like logger', async () => {
    const lines: string[] = [];
    const record = (object: object, message?: string) => lines.push(`${message} ${JSON.stringify(object)}`);
    const client = createClient({
      ...options(),
      logger: { debug: record, info: record, warn: record, error: record },
    });
    try {
      await client.send(
        { from: 'alice@example.com', to: ['bob@example.com'] },
        'Subject: log\r\n\r\nsecret body\r\n',
      );
    } finally {
      await client.close();
    }
    const log = lines.join('\n');
    expect(log).toContain('MAIL FROM:<alice@example.com>');
    expect(log).toContain('AUTH PLAIN [credentials redacted]');
    expect(log).toContain('smtp tls established');
    expect(log).not.toContain('correct horse');
    expect(log).not.toContain(Buffer.from('\0alice\0correct horse').toString('base64'));
    expect(log).not.toContain('secret body');
  });

  it('leaves no socket or timer behind after close()', async () => {
    const handles = () =>
      process
        .getActiveResourcesInfo()
        .filter((name) => name === 'TCPSocketWrap' || name === 'TLSWrap' || name === 'Timeout').length;
    const before = handles();
    const client = createClient({ ...options(), pool: { maxConnections: 3 } });
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        client.send({ from: 'a@example.com', to: ['b@example.com'] }, `n=${index}`),
      ),
    );
    await client.close();
    // The server's side of each socket closes a moment after ours; give its close events a few turns.
    for (let turn = 0; turn < 50 && handles() > before; turn++)
      await new Promise((resolve) => setImmediate(resolve));
    expect(handles()).toBeLessThanOrEqual(before);
  });

  it('refuses CR/LF injection in an address before opening any connection (invariant 6)', async () => {
    const client = createClient(options());
    const connectionsBefore = server.connections();
    try {
      await expect(
        client.send({ from: 'a@example.com', to: ['b@example.com>\r\nRCPT TO:<evil@example.com'] }, 'x'),
      ).rejects.toMatchObject({ code: 'UNSAFE_INPUT', kind: 'local-protocol' });
      expect(server.connections()).toBe(connectionsBefore);
    } finally {
      await client.close();
    }
  });

  it('rejects sends after close()', async () => {
    const client = createClient(options());
    await client.close();
    await expect(client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'x')).rejects.toMatchObject({
      code: 'CLIENT_CLOSED',
    });
  });
});

describe('timeouts and OAuth 2.0 against real sockets', () => {
  it('fails with TIMEOUT naming greetingMs when the server never greets', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const client = createClient({
      host: '127.0.0.1',
      port,
      policy: requireStarttls(),
      timeouts: { greetingMs: 200 },
    });
    try {
      await expect(client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'x')).rejects.toMatchObject({
        code: 'TIMEOUT',
        message: expect.stringContaining('timeouts.greetingMs'),
      });
    } finally {
      await client.close();
      silent.close();
    }
  });

  it('authenticates with XOAUTH2 and a token callback', async () => {
    let tokens = 0;
    const server = await startSmtpServer({
      extra: {
        authMethods: ['XOAUTH2'],
        authOptional: false,
        onAuth(auth, _session, callback) {
          if (
            auth.method === 'XOAUTH2' &&
            auth.username === 'me@example.com' &&
            auth.accessToken === 'token-1'
          ) {
            callback(null, { user: 'me' });
          } else callback(null, { data: { status: '401' } });
        },
      },
    });
    const client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: requireStarttls({ ca: server.ca }),
      auth: {
        user: 'me@example.com',
        accessToken: async () => {
          tokens += 1;
          return 'token-1';
        },
      },
    });
    try {
      const result = await client.send({ from: 'me@example.com', to: ['b@example.com'] }, 'x');
      expect(result.accepted).toEqual(['b@example.com']);
      expect(server.messages[0]?.user).toBe('me');
      expect(tokens).toBe(1);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('createClient against smtp-server with implicit TLS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSmtpServer({ secure: true });
  });
  afterAll(() => server.close());

  it('sends over implicit TLS', async () => {
    const client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: implicitTls({ ca: server.ca }),
      pool: false,
    });
    try {
      const result = await client.send(
        { from: 'a@example.com', to: ['b@example.com'] },
        'Subject: x\r\n\r\nbody\r\n',
      );
      expect(result.tls?.entry).toBe('implicit-tls');
      expect(server.messages).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('refuses a server whose certificate is not signed by the configured CA', async () => {
    const otherCa = (await import('@strictmail/mock-server/certificates')).createCertificateAuthority;
    const stranger = await otherCa();
    const client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: implicitTls({ ca: stranger.certificatePem }),
    });
    try {
      await expect(client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'x')).rejects.toMatchObject({
        kind: 'security',
      });
    } finally {
      await client.close();
    }
  });
});

describe('attacks end to end (RFC 3207)', () => {
  it('STARTTLS stripped by a MITM: refused, and no envelope or credential reaches the server', async () => {
    const server = await startScriptedServer({
      mode: 'starttls',
      extensions: ['PIPELINING', 'AUTH PLAIN'],
      offerStarttls: false,
    });
    const client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: requireStarttls({ ca: server.ca }),
      auth: { user: 'u', pass: 'secret' },
    });
    try {
      await expect(client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'x')).rejects.toMatchObject({
        code: 'STARTTLS_STRIPPED',
      });
      expect(server.commands.map((command) => command.line)).toEqual(['EHLO [127.0.0.1]']);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('a reply injected after the 220 to STARTTLS: refused with PRE_TLS_DATA_INJECTED', async () => {
    const server = await startScriptedServer({
      mode: 'starttls',
      extensions: ['PIPELINING'],
      injectAfterStarttls: '250-scripted.example\r\n250 AUTH PLAIN\r\n',
    });
    const client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: requireStarttls({ ca: server.ca }),
    });
    try {
      await expect(client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'x')).rejects.toMatchObject({
        code: 'PRE_TLS_DATA_INJECTED',
      });
      expect(server.commands.map((command) => command.line)).toEqual(['EHLO [127.0.0.1]', 'STARTTLS']);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

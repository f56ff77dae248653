// Integration tests of createClient against a real smtp-server over STARTTLS and implicit TLS, with
// a CA generated for the run. Every connection goes to 127.0.0.1 on a port chosen by the OS.
import { implicitTls, requireStarttls } from '@strictmail/tls-policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/node';
import { startSmtpServer, type TestServer } from './helpers/smtp-server';

describe('createClient against smtp-server with STARTTLS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSmtpServer({ users: { alice: 'correct horse' } });
  });
  afterAll(() => server.close());

  it('sends one message over verified STARTTLS with AUTH and returns a receipt', async () => {
    const client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: requireStarttls({ ca: server.ca }),
      auth: { user: 'alice', pass: 'correct horse' },
    });
    try {
      const result = await client.send(
        { from: 'alice@example.com', to: ['bob@example.com'] },
        'Subject: hi\r\n\r\nHello over TLS.\r\n',
      );
      expect(result.accepted).toEqual(['bob@example.com']);
      expect(result.rejected).toEqual([]);
      expect(result.response).toMatch(/^250/);
      expect(result.tls?.entry).toBe('starttls');
      expect(result.tls?.chainVerified).toBe(true);
      const received = server.messages.at(-1);
      expect(received?.secure).toBe(true);
      expect(received?.user).toBe('alice');
      expect(received?.data.toString()).toBe('Subject: hi\r\n\r\nHello over TLS.\r\n');
    } finally {
      await client.close();
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
});

// Every option that would weaken the channel is refused by `strictmail(...)` itself, before nodemailer
// gets a transport and before any connection: a listening server on 127.0.0.1 counts connections and
// must see none. Each refusal names the safe alternative (README, "Why each refused option is refused").
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { ConfigurationError } from '@strictmail/tls-policy';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StrictmailTransportOptions, strictmail } from '../src/index';

let server: Server;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

interface RefusalCase {
  readonly name: string;
  readonly options: (port: number) => StrictmailTransportOptions;
  /** Phrases the message must hold: the danger and the safe alternative. */
  readonly says: readonly string[];
  /** The `dangerous-...` mode that admits the risk, if one exists. */
  readonly allowedWith?: StrictmailTransportOptions['security'];
}

const auth = { user: 'user@example.com', pass: 'correct horse battery staple' };

const CASES: readonly RefusalCase[] = [
  {
    name: 'ignoreTLS: true (password and message in plaintext)',
    options: (p) => ({ host: '127.0.0.1', port: p, ignoreTLS: true, auth }),
    says: [
      'ignoreTLS: true was refused',
      'plaintext',
      "security: 'implicit-tls'",
      "security: 'dangerous-plaintext'",
    ],
    allowedWith: 'dangerous-plaintext',
  },
  {
    name: 'secure: false alone (STARTTLS stripping, RFC 3207 §6)',
    options: (p) => ({ host: '127.0.0.1', port: p, secure: false, auth }),
    says: ['secure: false without requireTLS was refused', 'STARTTLS stripping', 'requireTLS: true'],
    allowedWith: 'dangerous-opportunistic-starttls',
  },
  {
    name: 'secure: false on port 465 (says: you want secure: true)',
    options: () => ({ host: '127.0.0.1', port: 465, secure: false }),
    says: ['Port 465 expects TLS from the first byte: you most likely want secure: true'],
  },
  {
    name: 'opportunisticTLS: true (plaintext when STARTTLS fails)',
    options: (p) => ({ host: '127.0.0.1', port: p, requireTLS: true, opportunisticTLS: true }),
    says: ['opportunisticTLS: true was refused', "security: 'dangerous-opportunistic-starttls'"],
  },
  {
    name: 'tls.rejectUnauthorized: false (any certificate, so any MITM)',
    options: () => ({ host: '127.0.0.1', port: 465, tls: { rejectUnauthorized: false } }),
    says: ['tls.rejectUnauthorized: false was refused', 'tls: { ca:', 'pinsOnly: true', 'openssl x509'],
    allowedWith: 'dangerous-plaintext',
  },
  {
    name: "tls.minVersion: 'TLSv1' (RFC 8996)",
    options: (p) => ({ host: '127.0.0.1', port: p, secure: true, tls: { minVersion: 'TLSv1' as 'TLSv1.2' } }),
    says: ['RFC 8996', "'TLSv1.2'"],
  },
  {
    name: "tls.secureProtocol: 'TLSv1_method'",
    options: (p) => ({ host: '127.0.0.1', port: p, secure: true, tls: { secureProtocol: 'TLSv1_method' } }),
    says: ['tls.secureProtocol', 'RFC 8996'],
  },
  {
    name: "tls.ciphers: 'DEFAULT@SECLEVEL=0' (re-admits weak suites)",
    options: (p) => ({
      host: '127.0.0.1',
      port: p,
      requireTLS: true,
      tls: { ciphers: 'DEFAULT@SECLEVEL=0' },
    }),
    says: ['tls.ciphers was refused', 'forward-secret AEAD'],
  },
  {
    name: 'tls.checkServerIdentity (skips RFC 6125 name checks)',
    options: (p) => ({
      host: '127.0.0.1',
      port: p,
      requireTLS: true,
      tls: { checkServerIdentity: () => undefined },
    }),
    says: ['tls.checkServerIdentity was refused', 'tls.pins'],
  },
];

describe('refused options fail before any connection', () => {
  it.each(CASES)('$name', (testCase) => {
    let thrown: unknown;
    try {
      nodemailer.createTransport(strictmail(testCase.options(port)));
    } catch (error) {
      thrown = error;
    }
    expect(ConfigurationError.isInstance(thrown)).toBe(true);
    const error = thrown as ConfigurationError;
    expect(error.code).toBe('INSECURE_OPTION');
    expect(error.kind).toBe('configuration');
    for (const phrase of testCase.says) expect(error.message).toContain(phrase);
    // Invariant 9: the refusal never carries the credentials it was configured with.
    expect(error.message).not.toContain(auth.pass);
    expect(sockets).toHaveLength(0);
  });

  it.each(CASES.filter((testCase) => testCase.allowedWith !== undefined))(
    '$name is accepted once the dangerous mode is named',
    (testCase) => {
      const transport = strictmail({ ...testCase.options(port), security: testCase.allowedWith });
      expect(transport.options.policy.mode).toBe(
        testCase.allowedWith === 'dangerous-plaintext' ? 'dangerous-plaintext' : 'opportunistic',
      );
      expect(sockets).toHaveLength(0);
    },
  );
});

// Misconfiguration diagnosis: raw handshake failures become actionable SecurityErrors, and nothing
// suggests a downgrade. The port/mode mix-ups are played by real local servers.
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  dangerousOpportunisticStarttls,
  dangerousPlaintext,
  implicitTls,
  requireStarttls,
  SecurityError,
  type SecurityErrorCode,
} from '../src/index';
import { diagnoseGreetingTimeout, diagnoseHandshakeError, tlsConnectOptions } from '../src/node';
import { startPlaintextGreetingServer } from './tls-harness';

async function handshakeError(port: number): Promise<unknown> {
  const policy = implicitTls();
  const socket = connect({
    ...tlsConnectOptions(policy, { host: '127.0.0.1', entry: 'implicit-tls' }),
    port,
  });
  try {
    await once(socket, 'secureConnect');
    throw new Error('the handshake unexpectedly succeeded');
  } catch (error) {
    return error;
  } finally {
    socket.destroy();
  }
}

describe('diagnoseHandshakeError on real failures', () => {
  it('explains implicit TLS against a STARTTLS port ("wrong version number"): use requireStarttls on 587', async () => {
    const server = await startPlaintextGreetingServer();
    try {
      const raw = await handshakeError(server.port);
      const error = diagnoseHandshakeError(raw, {
        policy: implicitTls(),
        host: '127.0.0.1',
        port: server.port,
      });
      expect(error).toBeInstanceOf(SecurityError);
      expect(error).toMatchObject({
        code: 'TLS_HANDSHAKE_FAILED',
        diagnosis: 'implicit-tls-on-starttls-port',
      });
      expect(error.message).toMatch(/requireStarttls\(\).*587/);
      expect(error.cause).toBe(raw);
    } finally {
      await server.close();
    }
  });

  it('explains a server that hangs up during the handshake', async () => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const error = diagnoseHandshakeError(await handshakeError(port), {
        policy: implicitTls(),
        host: '127.0.0.1',
        port,
      });
      expect(error).toMatchObject({ code: 'TLS_HANDSHAKE_FAILED', diagnosis: 'connection-closed' });
    } finally {
      server.close();
      await once(server, 'close');
    }
  });
});

describe('diagnoseHandshakeError mapping (table)', () => {
  const context = { policy: requireStarttls(), host: 'mail.example.test', port: 587 };
  const cases: readonly [string, { code?: string; message: string }, SecurityErrorCode, string][] = [
    [
      'expired',
      { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' },
      'CERTIFICATE_EXPIRED',
      'certificate-rejected',
    ],
    [
      'not yet valid',
      { code: 'CERT_NOT_YET_VALID', message: 'certificate is not yet valid' },
      'CERTIFICATE_NOT_YET_VALID',
      'certificate-rejected',
    ],
    [
      'self-signed',
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' },
      'CERTIFICATE_UNTRUSTED',
      'certificate-rejected',
    ],
    [
      'unknown issuer',
      { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' },
      'CERTIFICATE_UNTRUSTED',
      'certificate-rejected',
    ],
    [
      'host name',
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" },
      'HOSTNAME_MISMATCH',
      'certificate-rejected',
    ],
    [
      'weak key',
      { code: 'UNSPECIFIED', message: 'EE certificate key too weak' },
      'CERTIFICATE_WEAK_KEY',
      'certificate-rejected',
    ],
    [
      'weak hash',
      { code: 'UNSPECIFIED', message: 'CA signature digest algorithm too weak' },
      'CERTIFICATE_WEAK_SIGNATURE',
      'certificate-rejected',
    ],
    [
      'unnamed verify error',
      { code: 'UNSPECIFIED', message: 'something OpenSSL added later' },
      'CERTIFICATE_UNTRUSTED',
      'certificate-rejected',
    ],
    [
      'old server',
      { code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', message: 'unsupported protocol' },
      'TLS_VERSION_TOO_OLD',
      'server-protocol-too-old',
    ],
    [
      'no protocols',
      { message: 'error:0A0000BF:SSL routines::no protocols available' },
      'TLS_VERSION_TOO_OLD',
      'server-protocol-too-old',
    ],
    [
      'protocol alert',
      { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'tlsv1 alert protocol version' },
      'TLS_VERSION_TOO_OLD',
      'server-protocol-too-old',
    ],
    [
      'no shared cipher',
      { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'sslv3 alert handshake failure' },
      'CIPHER_REJECTED',
      'no-shared-cipher-suite',
    ],
    [
      'plaintext reply',
      { code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' },
      'TLS_HANDSHAKE_FAILED',
      'implicit-tls-on-starttls-port',
    ],
    [
      'reset',
      {
        code: 'ECONNRESET',
        message: 'Client network socket disconnected before secure TLS connection was established',
      },
      'TLS_HANDSHAKE_FAILED',
      'connection-closed',
    ],
    ['anything else', { code: 'ERR_SOMETHING', message: 'odd' }, 'TLS_HANDSHAKE_FAILED', 'unknown'],
  ];
  for (const [name, raw, code, diagnosis] of cases) {
    it(`${name} -> ${code} (${diagnosis})`, () => {
      const error = diagnoseHandshakeError(
        Object.assign(new Error(raw.message), { code: raw.code }),
        context,
      );
      expect(error).toMatchObject({ code, diagnosis, kind: 'security' });
      expect(error.message).toContain('mail.example.test:587');
      expect(error.message).not.toMatch(/rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED/);
    });
  }

  it('passes an existing SecurityError through unchanged', () => {
    const original = new SecurityError('PIN_MISMATCH', 'pin');
    expect(diagnoseHandshakeError(original, context)).toBe(original);
  });

  it('tells a STARTTLS-after-220 failure apart from a port mix-up', () => {
    const raw = Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(diagnoseHandshakeError(raw, context).message).toMatch(/after agreeing to STARTTLS/);
  });
});

describe('diagnoseGreetingTimeout', () => {
  const cases = [
    { port: 465, policy: requireStarttls(), expected: 'starttls-on-implicit-tls-port' },
    { port: 465, policy: dangerousOpportunisticStarttls(), expected: 'starttls-on-implicit-tls-port' },
    { port: 465, policy: dangerousPlaintext(), expected: 'starttls-on-implicit-tls-port' },
    { port: 465, policy: implicitTls(), expected: undefined },
    { port: 587, policy: requireStarttls(), expected: undefined },
    { port: 25, policy: dangerousOpportunisticStarttls(), expected: undefined },
  ] as const;
  for (const { port, policy, expected } of cases) {
    it(`port ${port} with ${policy.mode} -> ${expected ?? 'no diagnosis'}`, () => {
      const result = diagnoseGreetingTimeout({ port, policy });
      expect(result?.diagnosis).toBe(expected);
      if (result !== undefined) expect(result.advice).toMatch(/implicitTls\(\) on port 465/);
    });
  }
});

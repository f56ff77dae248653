// Option resolution: the security mode is inferred only where the port makes it unambiguous, nodemailer's
// options are migrated with the same meaning, and anything unknown or contradictory is refused before
// any connection exists.
import { ConfigurationError, implicitTls, requireStarttls } from '@strictmail/tls-policy';
import { describe, expect, it } from 'vitest';
import { resolveTransportOptions } from '../src/resolve-options';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function refusal(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error as ConfigurationError;
    throw error;
  }
  throw new Error('expected a ConfigurationError, but the options were accepted');
}

describe('security inference (RFC 8314 §3.3 for 465, RFC 6409 + RFC 3207 for 587)', () => {
  it.each([
    [465, 'implicit-tls'],
    [587, 'require-starttls'],
  ] as const)('port %i alone means %s', (port, mode) => {
    const resolved = resolveTransportOptions({ host: 'smtp.example.com', port });
    expect(resolved.policy.mode).toBe(mode);
    expect(resolved.port).toBe(port);
  });

  it.each([25, 2525, 1025])('port %i alone is ambiguous and needs security', (port) => {
    const error = refusal(() => resolveTransportOptions({ host: 'smtp.example.com', port }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(`security is required for port ${port}`);
    expect(error.message).toContain("security: 'implicit-tls'");
    expect(error.message).toContain("security: 'require-starttls'");
  });

  it('no port and no security is refused, never defaulted', () => {
    const error = refusal(() => resolveTransportOptions({ host: 'smtp.example.com' }));
    expect(error.message).toContain('security is required');
  });

  it('security picks the default port', () => {
    expect(resolveTransportOptions({ host: 'h', security: 'implicit-tls' }).port).toBe(465);
    expect(resolveTransportOptions({ host: 'h', security: 'require-starttls' }).port).toBe(587);
  });

  it('dangerous modes need an explicit port', () => {
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', security: 'dangerous-plaintext' })).message,
    ).toContain('port is required');
    const resolved = resolveTransportOptions({
      host: 'h',
      port: 25,
      security: 'dangerous-opportunistic-starttls',
    });
    expect(resolved.policy.mode).toBe('opportunistic');
  });

  it('refuses STARTTLS on 465 and implicit TLS on 587 (the "wrong version number" misconfiguration)', () => {
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', port: 465, security: 'require-starttls' })).message,
    ).toContain('port 465 expects TLS from the first byte');
    expect(refusal(() => resolveTransportOptions({ host: 'h', port: 587, secure: true })).message).toContain(
      'port 587 expects STARTTLS',
    );
  });

  it('host is required', () => {
    expect(refusal(() => resolveTransportOptions({ port: 465 })).message).toContain('host is required');
  });

  it('rejects an unknown security value', () => {
    const error = refusal(() =>
      resolveTransportOptions({ host: 'h', port: 465, security: 'tls' as unknown as 'implicit-tls' }),
    );
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('dangerous-opportunistic-starttls');
  });

  it('accepts a ready-made policy, and refuses tls settings beside it', () => {
    const policy = requireStarttls({ minVersion: 'TLSv1.3' });
    const resolved = resolveTransportOptions({ host: 'h', port: 2525, security: policy });
    expect(resolved.policy).toBe(policy);
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', port: 2525, security: policy, tls: { ca: PEM } }))
        .message,
    ).toContain('ready-made policy');
  });
});

describe('nodemailer booleans migrate to the same mode', () => {
  it('secure: true is implicit TLS (with requireTLS ignored, as nodemailer does)', () => {
    expect(resolveTransportOptions({ host: 'h', port: 2465, secure: true }).policy.mode).toBe('implicit-tls');
    expect(resolveTransportOptions({ host: 'h', secure: true, requireTLS: true }).policy.mode).toBe(
      'implicit-tls',
    );
  });

  it('requireTLS: true (with or without secure: false) is mandatory STARTTLS', () => {
    expect(resolveTransportOptions({ host: 'h', port: 2525, requireTLS: true }).policy.mode).toBe(
      'require-starttls',
    );
    expect(resolveTransportOptions({ host: 'h', secure: false, requireTLS: true }).port).toBe(587);
  });

  it('contradictions between booleans and security are refused', () => {
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', secure: true, security: 'require-starttls' }))
        .message,
    ).toContain("secure: true means security 'implicit-tls'");
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', secure: false, security: 'implicit-tls' })).code,
    ).toBe('INVALID_OPTION');
  });

  it('secure: false beside an explicit STARTTLS mode is consistent', () => {
    expect(
      resolveTransportOptions({ host: 'h', port: 2525, secure: false, security: 'require-starttls' }).policy
        .mode,
    ).toBe('require-starttls');
  });

  it("service: 'Gmail' is looked up in nodemailer's well-known list", () => {
    const resolved = resolveTransportOptions({ service: 'Gmail', auth: { user: 'u@gmail.com', pass: 'p' } });
    expect(resolved).toMatchObject({ host: 'smtp.gmail.com', port: 465 });
    expect(resolved.policy.mode).toBe('implicit-tls');
    expect(refusal(() => resolveTransportOptions({ service: 'NoSuchService' })).message).toContain(
      'well-known',
    );
  });
});

describe('tls block', () => {
  it('maps ca (strings or Buffers), pins, minVersion and servername onto the policy', () => {
    const pin = `${'A'.repeat(43)}=`;
    const resolved = resolveTransportOptions({
      host: '127.0.0.1',
      port: 465,
      tls: { ca: [Buffer.from(PEM)], pins: [pin], minVersion: 'TLSv1.3', servername: 'mail.example.com' },
    });
    expect(resolved.policy).toEqual(
      implicitTls({ ca: [PEM], pins: [pin], minVersion: 'TLSv1.3', serverName: 'mail.example.com' }),
    );
  });

  it('tls.rejectUnauthorized: true is the default and accepted', () => {
    expect(
      resolveTransportOptions({ host: 'h', port: 465, tls: { rejectUnauthorized: true } }).policy.mode,
    ).toBe('implicit-tls');
  });

  it.each(['key', 'cert', 'session', 'ALPNProtocols'])('tls.%s is not supported', (key) => {
    const error = refusal(() => resolveTransportOptions({ host: 'h', port: 465, tls: { [key]: 'x' } }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(`tls.${key} is not supported`);
  });

  it('tls settings beside dangerous-plaintext are a contradiction', () => {
    expect(
      refusal(() =>
        resolveTransportOptions({ host: 'h', port: 25, security: 'dangerous-plaintext', tls: { ca: PEM } }),
      ).message,
    ).toContain('never uses TLS');
  });
});

describe('migration of the other nodemailer options', () => {
  it('timeouts: connectionTimeout, greetingTimeout and socketTimeout', () => {
    const resolved = resolveTransportOptions({
      host: 'h',
      port: 465,
      connectionTimeout: 1000,
      greetingTimeout: 2000,
      socketTimeout: 3000,
      timeouts: { idleMs: 4000 },
    });
    expect(resolved.timeouts).toEqual({
      connectMs: 1000,
      greetingMs: 2000,
      commandMs: 3000,
      dataEndMs: 3000,
      idleMs: 4000,
    });
    expect(
      refusal(() =>
        resolveTransportOptions({ host: 'h', port: 465, connectionTimeout: 1, timeouts: { connectMs: 2 } }),
      ).message,
    ).toContain('contradicts');
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', port: 465, timeouts: { connectMs: -1 } })).message,
    ).toContain('positive number');
  });

  it("pool: true keeps nodemailer's defaults (5 connections, 100 messages each)", () => {
    expect(resolveTransportOptions({ host: 'h', port: 465, pool: true }).pool).toEqual({
      maxConnections: 5,
      maxMessages: 100,
    });
    expect(
      resolveTransportOptions({ host: 'h', port: 465, pool: true, maxConnections: 2, maxMessages: 10 }).pool,
    ).toEqual({ maxConnections: 2, maxMessages: 10 });
    expect(
      resolveTransportOptions({ host: 'h', port: 465, pool: { maxConnections: 3, idleTimeoutMs: 500 } }).pool,
    ).toEqual({
      maxConnections: 3,
      maxMessages: 100,
      idleTimeoutMs: 500,
    });
    expect(resolveTransportOptions({ host: 'h', port: 465 }).pool).toBe(false);
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', port: 465, maxConnections: 2 })).message,
    ).toContain('add pool: true');
  });

  it('name becomes clientName', () => {
    expect(resolveTransportOptions({ host: 'h', port: 465, name: 'client.example.com' }).clientName).toBe(
      'client.example.com',
    );
    expect(
      refusal(() => resolveTransportOptions({ host: 'h', port: 465, name: 'a', clientName: 'b' })).code,
    ).toBe('INVALID_OPTION');
  });

  it('auth: password and OAuth2 access tokens; refresh settings are refused with advice', () => {
    expect(resolveTransportOptions({ host: 'h', port: 465, auth: { user: 'u', pass: 'p' } }).auth).toEqual({
      user: 'u',
      pass: 'p',
    });
    const token = async () => 'token';
    expect(
      resolveTransportOptions({
        host: 'h',
        port: 465,
        auth: { type: 'OAuth2', user: 'u', accessToken: token },
      }).auth,
    ).toEqual({ user: 'u', accessToken: token });
    const error = refusal(() =>
      resolveTransportOptions({
        host: 'h',
        port: 465,
        auth: { type: 'OAuth2', user: 'u', refreshToken: 'r' } as unknown as {
          type: 'OAuth2';
          user: string;
          accessToken: string;
        },
      }),
    );
    expect(error.message).toContain('auth.refreshToken is not supported');
  });

  it('an auth error never echoes the password', () => {
    const error = refusal(() =>
      resolveTransportOptions({ host: 'h', port: 465, auth: { user: 'u', pass: 42 as unknown as string } }),
    );
    expect(error.message).not.toContain('42');
  });

  it.each(['proxy', 'lmtp', 'authMethod', 'debug', 'url', 'getSocket'])(
    'the nodemailer option %s is refused with what to do instead',
    (key) => {
      const error = refusal(() => resolveTransportOptions({ host: 'h', port: 465, [key]: true } as never));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain(`the nodemailer option ${key} is not supported`);
    },
  );

  it('an unknown (for example misspelt) option is refused rather than ignored', () => {
    const error = refusal(() => resolveTransportOptions({ host: 'h', port: 465, requireTls: true } as never));
    expect(error.message).toContain('unknown option "requireTls"');
  });
});

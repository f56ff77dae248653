// `send` settings: flags over the client command contract's environment variables, validated before
// any connection; no plaintext mode and no password flag exist.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandArguments } from '../command';
import { sendCommand } from '../commands/send';
import { DEFAULT_BODY, resolveSendSettings } from './send-options';

const directory = mkdtempSync(join(tmpdir(), 'strictmail-send-options-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function settings(argv: string[], environment: Record<string, string> = {}) {
  return resolveSendSettings(parseCommandArguments(sendCommand, argv), environment);
}

const ENVELOPE = { MAIL_FROM: 'a@example.test', MAIL_TO: 'b@example.test' };

describe('resolveSendSettings', () => {
  it('reads the client command contract, splitting MAIL_TO at commas', () => {
    const bodyFile = join(directory, 'body.txt');
    writeFileSync(bodyFile, 'body from file\n');
    const resolved = settings([], {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '2525',
      SMTP_SECURITY: 'implicit',
      SMTP_USER: 'u',
      SMTP_PASS: 'p',
      MAIL_FROM: 'a@example.test',
      MAIL_TO: 'b@example.test, c@example.test,',
      MAIL_SUBJECT: 'subject',
      MAIL_BODY_FILE: bodyFile,
    });
    expect(resolved).toMatchObject({
      host: '127.0.0.1',
      port: 2525,
      security: 'implicit',
      auth: { user: 'u', pass: 'p' },
      to: ['b@example.test', 'c@example.test'],
      subject: 'subject',
      text: 'body from file\n',
      minVersion: 'TLSv1.2',
    });
  });

  it('lets flags win over the environment', () => {
    const resolved = settings(
      ['--host', 'flag.example.test', '--to', 'x@example.test', '--to', 'y@example.test'],
      {
        SMTP_HOST: 'env.example.test',
        ...ENVELOPE,
      },
    );
    expect(resolved.host).toBe('flag.example.test');
    expect(resolved.to).toEqual(['x@example.test', 'y@example.test']);
    expect(resolved.text).toBe(DEFAULT_BODY);
  });

  it('infers implicit TLS only for port 465 (RFC 8314 §3.3), STARTTLS otherwise', () => {
    expect(settings(['--host', 'h', '--port', '465'], ENVELOPE).security).toBe('implicit');
    expect(settings(['--host', 'h', '--port', '587'], ENVELOPE).security).toBe('starttls');
    expect(settings(['--host', 'h'], ENVELOPE).port).toBeUndefined();
  });

  it('refuses a user without SMTP_PASS, a bad port, a plaintext mode and TLS below 1.2', () => {
    expect(() => settings(['--host', 'h', '--user', 'u'], ENVELOPE)).toThrow(/SMTP_PASS/);
    expect(() => settings(['--host', 'h', '--port', '0'], ENVELOPE)).toThrow(/between 1 and 65535/);
    expect(() => settings(['--host', 'h', '--security', 'plaintext'], ENVELOPE)).toThrow(
      /only over verified TLS/,
    );
    expect(() => settings(['--host', 'h', '--min-tls', '1.0'], ENVELOPE)).toThrow(/RFC 8996/);
  });

  it('has no password flag: an unknown flag is a usage error', () => {
    expect(() => settings(['--host', 'h', '--pass', 'secret'], ENVELOPE)).toThrow(/Unknown option '--pass'/);
  });
});

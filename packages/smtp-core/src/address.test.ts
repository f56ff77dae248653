// Invariant 6: CR, LF, NUL and other control bytes in addresses, the EHLO name or AUTH values are
// refused before anything is sent (SMTP command injection; RFC 5321 §2.3.8).
import { describe, expect, it } from 'vitest';
import {
  encodeXtext,
  needsSmtpUtf8,
  validateAddress,
  validateClientName,
  validateCredential,
} from './address';
import { encodeMailFrom, encodeRcptTo } from './commands';

const injections = [
  'a@example.com\r\nRCPT TO:<evil@example.com>',
  'a@example.com\nDATA',
  'a@example.com\rQUIT',
  'a@exa\0mple.com',
  'a@example.com\u0007',
];

describe('CR/LF injection in envelope addresses (invariant 6)', () => {
  it.each(injections)('refuses %j as sender and as recipient', (address) => {
    expect(() => validateAddress(address, 'from')).toThrow(expect.objectContaining({ code: 'UNSAFE_INPUT' }));
    expect(() => validateAddress(address, 'to')).toThrow(expect.objectContaining({ code: 'UNSAFE_INPUT' }));
    expect(() => encodeMailFrom(address, [])).toThrow();
    expect(() => encodeRcptTo(address, [])).toThrow();
  });

  it.each(['<a@example.com>', 'a@example.com> SIZE=1', 'a b@example.com', ''])(
    'refuses the malformed recipient %j',
    (address) => {
      expect(() => validateAddress(address, 'to')).toThrow(expect.objectContaining({ code: 'UNSAFE_INPUT' }));
    },
  );

  it('accepts ordinary, quoted and null-sender addresses', () => {
    expect(() => validateAddress('"john doe"@example.com', 'to')).not.toThrow();
    expect(() => validateAddress('', 'from')).not.toThrow();
    expect(new TextDecoder().decode(encodeMailFrom('', []))).toBe('MAIL FROM:<>\r\n');
  });
});

describe('CR/LF injection in the EHLO name and AUTH values (invariant 6)', () => {
  it.each(['client\r\nMAIL FROM:<x>', 'client name', '', 'client\0'])('refuses the EHLO name %j', (name) => {
    expect(() => validateClientName(name)).toThrow(expect.objectContaining({ code: 'UNSAFE_INPUT' }));
  });

  it.each(['user\0authzid', 'pass\r\nQUIT', 'x\n'])(
    'refuses the AUTH value %j without echoing it',
    (value) => {
      try {
        validateCredential(value, 'password');
        expect.unreachable();
      } catch (error) {
        expect((error as Error & { code: string }).code).toBe('UNSAFE_INPUT');
        expect((error as Error).message).not.toContain(value);
      }
    },
  );
});

describe('address helpers', () => {
  it('detects SMTPUTF8 needs and xtext-encodes DSN values (RFC 3461 §4)', () => {
    expect(needsSmtpUtf8('ü@example.com')).toBe(true);
    expect(needsSmtpUtf8('u@example.com')).toBe(false);
    expect(encodeXtext('a+b=c d')).toBe('a+2Bb+3Dc+20d');
  });
});

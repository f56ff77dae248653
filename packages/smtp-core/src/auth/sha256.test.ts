// The pure SHA-256 family against node:crypto, and SCRAM-SHA-256 against the RFC 7677 §3 example.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Text, encodeBase64 } from '../base64';
import { ScramSha256 } from './scram';
import { hmacSha256, pbkdf2Sha256, sha256 } from './sha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('sha256 / hmacSha256 / pbkdf2Sha256', () => {
  it('match node:crypto on arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 100 }), (data, key) => {
        expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
        expect(hex(hmacSha256(key, data))).toBe(createHmac('sha256', key).update(data).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });

  it('PBKDF2 matches node:crypto', () => {
    const password = new TextEncoder().encode('pencil');
    const salt = new TextEncoder().encode('salt');
    expect(hex(pbkdf2Sha256(password, salt, 4096))).toBe(
      pbkdf2Sync(password, salt, 4096, 32, 'sha256').toString('hex'),
    );
  });

  it('base64 round-trips', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(encodeBase64(text)).toBe(Buffer.from(text).toString('base64'));
        expect(decodeBase64Text(encodeBase64(text))).toBe(text);
      }),
    );
  });
});

describe('SCRAM-SHA-256 (RFC 7677 §3 test vector)', () => {
  const clientNonce = 'rOprNGfwEbeRWgbNEkqO';
  const nonceBytes = () => Uint8Array.from(Buffer.from(clientNonce, 'base64'));

  it('produces the RFC client-final message and verifies the RFC server signature', () => {
    const scram = new ScramSha256('user', 'pencil', nonceBytes);
    expect(decodeBase64Text(scram.initialResponse)).toBe(`n,,n=user,r=${clientNonce}`);
    const serverFirst =
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
    const clientFinal = decodeBase64Text(scram.respond(encodeBase64(serverFirst)));
    expect(clientFinal).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(scram.respond(encodeBase64('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBe('');
    expect(() => scram.complete()).not.toThrow();
  });

  it('refuses a server that cannot prove it knows the password (impostor server)', () => {
    const scram = new ScramSha256('user', 'pencil', nonceBytes);
    scram.respond(encodeBase64('r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
    expect(() => scram.respond(encodeBase64('v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='))).toThrow(
      expect.objectContaining({ code: 'AUTH_SERVER_SIGNATURE_INVALID' }),
    );
  });

  it('refuses a 235 that arrives before the server signature', () => {
    const scram = new ScramSha256('user', 'pencil', nonceBytes);
    expect(() => scram.complete()).toThrow(
      expect.objectContaining({ code: 'AUTH_SERVER_SIGNATURE_INVALID' }),
    );
  });

  it('refuses a server nonce that does not extend the client nonce, and too few iterations', () => {
    expect(() =>
      new ScramSha256('user', 'pencil', nonceBytes).respond(encodeBase64('r=other,s=W22Z,i=4096')),
    ).toThrow();
    expect(() =>
      new ScramSha256('user', 'pencil', nonceBytes).respond(
        encodeBase64(`r=${clientNonce}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1`),
      ),
    ).toThrow(/iterations/);
  });
});

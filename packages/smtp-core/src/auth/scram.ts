// SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding ("n,,"): the password never crosses the
// wire, and the server must prove it knows the salted password (its signature is verified before the
// 235 is accepted; a server that cannot prove it is an impostor).
// Limitation: user names are not SASLprep-normalised (RFC 4013); "=" and "," are escaped per RFC 5802 §5.1.
import { decodeBase64, decodeBase64Text, encodeBase64 } from '../base64';
import { RemoteProtocolError } from '../errors';
import type { RandomBytes, SaslExchange } from './mechanisms';
import { hmacSha256, pbkdf2Sha256, sha256 } from './sha256';

const encoder = new TextEncoder();
/** Fewest PBKDF2 iterations accepted. RFC 7677 §4 requires at least 4096 for SCRAM-SHA-256. */
const MIN_SCRAM_ITERATIONS = 4096;
/** Most PBKDF2 iterations accepted, so a hostile server cannot make the client spin for minutes. */
const MAX_SCRAM_ITERATIONS = 1_000_000;
/** Random bytes in the client nonce (RFC 5802 §5.1 asks for a nonce that is unpredictable). */
const CLIENT_NONCE_BYTES = 24;

function scramName(user: string): string {
  return user.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function fail(message: string): never {
  throw new RemoteProtocolError('UNEXPECTED_REPLY', message, { command: 'AUTH SCRAM-SHA-256' });
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((byte, index) => byte ^ (b[index] as number));
}

export class ScramSha256 implements SaslExchange {
  readonly mechanism = 'SCRAM-SHA-256';
  readonly initialResponse: string;
  readonly #password: string;
  readonly #clientNonce: string;
  readonly #clientFirstBare: string;
  #step = 0;
  #expectedServerSignature: Uint8Array | null = null;
  #verified = false;

  constructor(user: string, password: string, randomBytes: RandomBytes) {
    this.#password = password;
    this.#clientNonce = encodeBase64(randomBytes(CLIENT_NONCE_BYTES)).replace(/=+$/, '');
    this.#clientFirstBare = `n=${scramName(user)},r=${this.#clientNonce}`;
    this.initialResponse = encodeBase64(`n,,${this.#clientFirstBare}`);
  }

  respond(challenge: string): string {
    const step = this.#step++;
    const text = decodeBase64Text(challenge);
    if (text === null) fail('The server sent a SCRAM challenge that is not valid base64 (RFC 4954 §4).');
    if (step === 0) return this.#clientFinal(text);
    if (step === 1) {
      this.#verifyServerFinal(text);
      return '';
    }
    return fail('The server sent more SCRAM challenges than RFC 5802 §5 defines.');
  }

  complete(): void {
    if (!this.#verified) {
      throw new RemoteProtocolError(
        'AUTH_SERVER_SIGNATURE_INVALID',
        'The server accepted SCRAM-SHA-256 authentication without proving it knows the password (no server-final message). RFC 5802 §5.1 requires the client to verify the server signature; refusing to continue.',
        { command: 'AUTH SCRAM-SHA-256' },
      );
    }
  }

  #clientFinal(serverFirst: string): string {
    const attributes = new Map(serverFirst.split(',').map((part) => [part.slice(0, 1), part.slice(2)]));
    const nonce = attributes.get('r');
    const saltText = attributes.get('s');
    const iterations = Number(attributes.get('i'));
    if (
      nonce === undefined ||
      !nonce.startsWith(this.#clientNonce) ||
      nonce.length <= this.#clientNonce.length
    ) {
      fail('The server-first SCRAM message does not extend the client nonce (RFC 5802 §5.1).');
    }
    const salt = saltText === undefined ? null : decodeBase64(saltText);
    if (salt === null) fail('The server-first SCRAM message has no valid salt (RFC 5802 §5.1).');
    if (
      !Number.isInteger(iterations) ||
      iterations < MIN_SCRAM_ITERATIONS ||
      iterations > MAX_SCRAM_ITERATIONS
    ) {
      fail(
        `The server asked for ${attributes.get('i')} SCRAM iterations; expected ${MIN_SCRAM_ITERATIONS} to ${MAX_SCRAM_ITERATIONS} (RFC 7677 §4).`,
      );
    }
    const saltedPassword = pbkdf2Sha256(encoder.encode(this.#password), salt, iterations);
    const clientKey = hmacSha256(saltedPassword, encoder.encode('Client Key'));
    const storedKey = sha256(clientKey);
    const clientFinalWithoutProof = `c=biws,r=${nonce}`;
    const authMessage = encoder.encode(`${this.#clientFirstBare},${serverFirst},${clientFinalWithoutProof}`);
    const clientSignature = hmacSha256(storedKey, authMessage);
    const proof = xor(clientKey, clientSignature);
    const serverKey = hmacSha256(saltedPassword, encoder.encode('Server Key'));
    this.#expectedServerSignature = hmacSha256(serverKey, authMessage);
    return encodeBase64(`${clientFinalWithoutProof},p=${encodeBase64(proof)}`);
  }

  #verifyServerFinal(serverFinal: string): void {
    const expected = this.#expectedServerSignature;
    if (!serverFinal.startsWith('v=') || expected === null) {
      fail(
        `The server-final SCRAM message is an error or malformed: ${JSON.stringify(serverFinal.slice(0, 60))}.`,
      );
    }
    const received = decodeBase64(serverFinal.slice(2));
    let difference = received === null || received.length !== expected.length ? 1 : 0;
    for (let index = 0; index < expected.length; index++) {
      difference |= (expected[index] as number) ^ (received?.[index] ?? 0);
    }
    if (difference !== 0) {
      throw new RemoteProtocolError(
        'AUTH_SERVER_SIGNATURE_INVALID',
        'The server signature in SCRAM-SHA-256 does not verify (RFC 5802 §5.1): the server does not know the password and may be an impostor.',
        { command: 'AUTH SCRAM-SHA-256' },
      );
    }
    this.#verified = true;
  }
}

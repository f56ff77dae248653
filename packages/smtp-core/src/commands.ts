// The command encoder: each SMTP command as the exact bytes to write, CRLF included (RFC 5321 §4.1).
// Rule: callers validate their input with address.ts first (transaction.ts does, for every envelope);
// every line is checked once more for CR, LF, NUL and other control bytes here, so no path to the wire skips invariant 6.
import { validateClientName } from './address';

const encoder = new TextEncoder();

function line(text: string): Uint8Array {
  if (/[\x00-\x1f\x7f]/.test(text)) {
    // Unreachable when inputs were validated; a last line of defence for invariant 6.
    throw new Error('internal: refused to encode a command line with CR, LF, NUL or another control byte');
  }
  return encoder.encode(`${text}\r\n`);
}

export function encodeEhlo(clientName: string): Uint8Array {
  validateClientName(clientName);
  return line(`EHLO ${clientName}`);
}

export function encodeHelo(clientName: string): Uint8Array {
  validateClientName(clientName);
  return line(`HELO ${clientName}`);
}

export const encodeStarttls = (): Uint8Array => line('STARTTLS');
export const encodeData = (): Uint8Array => line('DATA');
export const encodeRset = (): Uint8Array => line('RSET');
export const encodeQuit = (): Uint8Array => line('QUIT');
export const encodeNoop = (): Uint8Array => line('NOOP');

/** `MAIL FROM:<address> params` (RFC 5321 §4.1.1.2). */
export function encodeMailFrom(address: string, parameters: readonly string[]): Uint8Array {
  return line([`MAIL FROM:<${address}>`, ...parameters].join(' '));
}

/** `RCPT TO:<address> params` (RFC 5321 §4.1.1.3). */
export function encodeRcptTo(address: string, parameters: readonly string[]): Uint8Array {
  return line([`RCPT TO:<${address}>`, ...parameters].join(' '));
}

/** `BDAT size [LAST]` (RFC 3030 §2); the chunk's bytes follow the command line directly. */
export function encodeBdat(size: number, last: boolean): Uint8Array {
  return line(last ? `BDAT ${size} LAST` : `BDAT ${size}`);
}

/** `AUTH mechanism [initial-response]` (RFC 4954 §4). The response is base64 and thus line-safe. */
export function encodeAuth(mechanism: string, initialResponse: string | undefined): Uint8Array {
  return line(initialResponse === undefined ? `AUTH ${mechanism}` : `AUTH ${mechanism} ${initialResponse}`);
}

/** One line answering a 334 challenge (base64, or `*` to cancel; RFC 4954 §4). */
export function encodeAuthResponse(response: string): Uint8Array {
  return line(response);
}

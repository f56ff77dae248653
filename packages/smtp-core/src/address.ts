// Validation of everything the caller puts on a command line: envelope addresses, the EHLO name and
// AUTH values. Invariant 6: a CR, LF or NUL (or any other control byte) is refused before anything is
// sent, so no caller input can end a command line early and start a command of its own (RFC 5321 §2.3.8
// on line endings; the attack is SMTP command injection, e.g. CVE-2020-7769 class in address fields).
import { LocalProtocolError } from './errors';
import { MAX_ADDRESS_BYTES, MAX_CLIENT_NAME_BYTES } from './limits';

const encoder = new TextEncoder();

function describeUnsafe(value: string): string | null {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 0x0d) return `a CR at position ${index}`;
    if (code === 0x0a) return `an LF at position ${index}`;
    if (code === 0x00) return `a NUL at position ${index}`;
    if (code < 0x20 || code === 0x7f)
      return `the control character 0x${code.toString(16)} at position ${index}`;
  }
  return null;
}

/**
 * Checks an envelope address. `role` names the field for the message. The null reverse-path (`''`) is
 * allowed for `from` only (RFC 5321 §4.5.5, bounces).
 */
export function validateAddress(address: string, role: 'from' | 'to'): void {
  if (typeof address !== 'string') {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The ${role} address must be a string; received ${typeof address}.`,
    );
  }
  const unsafe = describeUnsafe(address);
  if (unsafe !== null) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The ${role} address contains ${unsafe}. Addresses with CR, LF, NUL or control characters are refused before anything is sent: they could end the SMTP command and inject another (RFC 5321 §2.3.8). Remove them from the address.`,
    );
  }
  if (address === '' && role === 'to') {
    throw new LocalProtocolError('UNSAFE_INPUT', 'A recipient address is empty. Expected local@domain.');
  }
  if (/[<>]/.test(address)) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The ${role} address ${JSON.stringify(address)} contains "<" or ">". Pass the bare address (local@domain); strictmail adds the angle brackets.`,
    );
  }
  const unquoted = address.includes('"') ? address.replace(/"(?:[^"\\]|\\.)*"/g, '') : address;
  if (/\s/.test(unquoted)) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The ${role} address ${JSON.stringify(address)} contains whitespace outside a quoted local part (RFC 5321 §4.1.2).`,
    );
  }
  if (encoder.encode(address).length > MAX_ADDRESS_BYTES) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The ${role} address is longer than MAX_ADDRESS_BYTES (${MAX_ADDRESS_BYTES} octets, RFC 5321 §4.5.3.1.3).`,
    );
  }
}

/** Checks the name sent with EHLO/HELO: a domain or address literal, no space or control byte. */
export function validateClientName(name: string): void {
  const unsafe = describeUnsafe(name);
  if (unsafe !== null || name === '' || /\s/.test(name)) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The EHLO name ${JSON.stringify(name)} is not a domain or address literal${unsafe === null ? '' : ` (it contains ${unsafe})`}. Expected e.g. "mail.example.com" or "[192.0.2.1]" (RFC 5321 §4.1.1.1).`,
    );
  }
  if (encoder.encode(name).length > MAX_CLIENT_NAME_BYTES) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The EHLO name is longer than MAX_CLIENT_NAME_BYTES (${MAX_CLIENT_NAME_BYTES} octets).`,
    );
  }
}

/** Checks an AUTH value (user name, password, token). The message never contains the value itself. */
export function validateCredential(value: string, field: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new LocalProtocolError('UNSAFE_INPUT', `The AUTH ${field} must be a non-empty string.`);
  }
  const unsafe = describeUnsafe(value);
  if (unsafe !== null) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The AUTH ${field} contains ${unsafe}. CR, LF and NUL are refused before anything is sent: NUL separates the fields of SASL PLAIN (RFC 4616 §2) and CR/LF would end the AUTH line (RFC 4954 §4). The value itself is not shown.`,
    );
  }
}

/** Whether an address needs SMTPUTF8 (RFC 6531 §3.3: any non-ASCII character). */
export function needsSmtpUtf8(address: string): boolean {
  for (let index = 0; index < address.length; index++) {
    if (address.charCodeAt(index) > 0x7f) return true;
  }
  return false;
}

/** RFC 3461 §4 xtext: printable ASCII except "+" and "=" as is, everything else as `+HH`. */
export function encodeXtext(value: string): string {
  let out = '';
  for (const byte of encoder.encode(value)) {
    out +=
      byte >= 0x21 && byte <= 0x7e && byte !== 0x2b && byte !== 0x3d
        ? String.fromCharCode(byte)
        : `+${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

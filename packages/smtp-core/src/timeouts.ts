// The core's reply deadlines, in milliseconds, with the RFC 5321 §4.5.3.2 value each one follows.
// The core has no clock: it computes deadlines from the `now()` it is given and the driver turns
// `pollTimeout()` into a timer. A deadline restarts whenever a reply arrives (progress).
import type { PendingKind } from './pending';

export interface CoreTimeouts {
  /** Waiting for the 220 greeting, and for a TLS handshake. RFC 5321 §4.5.3.2.1 allows 5 min; 30 s is common client practice (nodemailer). */
  readonly greetingMs: number;
  /** Waiting for the reply to MAIL, RCPT, EHLO, AUTH, RSET and BDAT chunks. RFC 5321 §4.5.3.2.2-3: 5 min. */
  readonly commandMs: number;
  /** Waiting for the reply to the end of data. RFC 5321 §4.5.3.2.6: 10 min (the server may scan the message). */
  readonly dataEndMs: number;
}

export const DEFAULT_GREETING_TIMEOUT_MS = 30_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_DATA_END_TIMEOUT_MS = 10 * 60_000;

export const DEFAULT_CORE_TIMEOUTS: CoreTimeouts = {
  greetingMs: DEFAULT_GREETING_TIMEOUT_MS,
  commandMs: DEFAULT_COMMAND_TIMEOUT_MS,
  dataEndMs: DEFAULT_DATA_END_TIMEOUT_MS,
};

/** Which timeout covers the reply to a command, with its option name for error messages. */
export function timeoutFor(
  kind: PendingKind,
  timeouts: CoreTimeouts,
): { ms: number; name: keyof CoreTimeouts } {
  if (kind === 'greeting') return { ms: timeouts.greetingMs, name: 'greetingMs' };
  if (kind === 'data-end' || kind === 'bdat') return { ms: timeouts.dataEndMs, name: 'dataEndMs' };
  return { ms: timeouts.commandMs, name: 'commandMs' };
}

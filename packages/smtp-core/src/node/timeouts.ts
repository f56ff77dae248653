// The Node driver's named timeouts, in milliseconds: the core's reply deadlines plus the two that only
// a driver with sockets has (connecting, and how long an idle pooled connection is kept).
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_DATA_END_TIMEOUT_MS,
  DEFAULT_GREETING_TIMEOUT_MS,
} from '../timeouts';

export interface ClientTimeouts {
  /** TCP connect. 30 s: long enough for a slow route, short enough to fail over (nodemailer uses 2 min). */
  readonly connectMs: number;
  /** Waiting for the 220 greeting and for a TLS handshake (RFC 5321 §4.5.3.2.1 allows 5 min; 30 s is client practice). */
  readonly greetingMs: number;
  /** Each command's reply (RFC 5321 §4.5.3.2.2: 5 min). */
  readonly commandMs: number;
  /** The reply to the end of data (RFC 5321 §4.5.3.2.6: 10 min). */
  readonly dataEndMs: number;
  /** How long a pooled connection stays open with nothing to do. 30 s: well under the 5 min servers allow (RFC 5321 §4.5.3.2.7). */
  readonly idleMs: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** How long `close()` waits for the 221 to QUIT before dropping the socket. QUIT is a courtesy. */
export const QUIT_TIMEOUT_MS = 5_000;

export const DEFAULT_CLIENT_TIMEOUTS: ClientTimeouts = {
  connectMs: DEFAULT_CONNECT_TIMEOUT_MS,
  greetingMs: DEFAULT_GREETING_TIMEOUT_MS,
  commandMs: DEFAULT_COMMAND_TIMEOUT_MS,
  dataEndMs: DEFAULT_DATA_END_TIMEOUT_MS,
  idleMs: DEFAULT_IDLE_TIMEOUT_MS,
};

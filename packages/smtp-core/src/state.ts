// Every state transition of the SMTP client, in two tables, in this one file (h11's `_state.py`).
// The connection table covers the session (greeting, EHLO, STARTTLS, TLS, AUTH, QUIT); the transaction
// table covers one message (MAIL/RCPT, body, end of data). Code elsewhere never assigns a state: it
// asks `nextConnectionState` / `nextTransactionState`, and a trigger the table does not list for the
// current state is an internal error, never a silent move. ERROR is sticky: it has no way out.

/**
 * - `TLS_CONNECTING`: implicit TLS; the driver is handshaking before the first byte (RFC 8314 §3).
 * - `GREETING`: waiting for the server's 220.
 * - `EHLO` / `HELO`: the greeting command was sent. HELO is a fallback only while TLS is not required.
 * - `STARTTLS`: STARTTLS was sent; only exactly 220 moves on (RFC 3207 §4).
 * - `TLS_HANDSHAKE`: 220 received; the driver is handshaking; any byte received now is an attack (RFC 3207 §6).
 * - `AUTH`: a SASL exchange is running (RFC 4954).
 * - `READY`: messages may be sent. `QUIT`: QUIT sent. `CLOSED`: ended cleanly. `ERROR`: failed, for good.
 */
export type ConnectionState =
  | 'TLS_CONNECTING'
  | 'GREETING'
  | 'EHLO'
  | 'HELO'
  | 'STARTTLS'
  | 'TLS_HANDSHAKE'
  | 'AUTH'
  | 'READY'
  | 'QUIT'
  | 'CLOSED'
  | 'ERROR';

export type ConnectionTrigger =
  | 'tls-established'
  | 'greeting-receive'
  | 'ehlo-refuse'
  | 'starttls-send'
  | 'starttls-accept'
  | 'auth-send'
  | 'auth-accept'
  | 'session-ready'
  | 'quit-send'
  | 'quit-receive'
  | 'eof'
  | 'fail';

type Table<State extends string, Trigger extends string> = {
  readonly [S in State]: Readonly<Partial<Record<Trigger, State>>>;
};

export const CONNECTION_TRANSITIONS: Table<ConnectionState, ConnectionTrigger> = {
  TLS_CONNECTING: { 'tls-established': 'GREETING', fail: 'ERROR' },
  GREETING: { 'greeting-receive': 'EHLO', fail: 'ERROR' },
  EHLO: {
    'ehlo-refuse': 'HELO',
    'starttls-send': 'STARTTLS',
    'auth-send': 'AUTH',
    'session-ready': 'READY',
    fail: 'ERROR',
  },
  HELO: { 'session-ready': 'READY', fail: 'ERROR' },
  STARTTLS: { 'starttls-accept': 'TLS_HANDSHAKE', fail: 'ERROR' },
  TLS_HANDSHAKE: { 'tls-established': 'EHLO', fail: 'ERROR' },
  AUTH: { 'auth-accept': 'READY', fail: 'ERROR' },
  READY: { 'quit-send': 'QUIT', fail: 'ERROR' },
  QUIT: { 'quit-receive': 'CLOSED', eof: 'CLOSED', fail: 'ERROR' },
  CLOSED: {},
  ERROR: {},
};

/**
 * - `QUEUED`: accepted by `send()`, waiting for the wire (the previous message's body is still going out).
 * - `ENVELOPE`: MAIL FROM and RCPT TO (and DATA) are on the wire or answered.
 * - `BODY`: the driver may stream the body: after 354 to DATA, or at once with BDAT (RFC 3030).
 * - `END_SENT`: the end of data (CRLF.CRLF or `BDAT n LAST`) is written; waiting for the final reply.
 * - `ACCEPTED`: the final reply was positive (invariant 8). `REJECTED`: any other outcome.
 */
export type TransactionState = 'QUEUED' | 'ENVELOPE' | 'BODY' | 'END_SENT' | 'ACCEPTED' | 'REJECTED';

export type TransactionTrigger = 'envelope-send' | 'body-open' | 'body-end' | 'final-accept' | 'reject';

export const TRANSACTION_TRANSITIONS: Table<TransactionState, TransactionTrigger> = {
  QUEUED: { 'envelope-send': 'ENVELOPE', reject: 'REJECTED' },
  ENVELOPE: { 'body-open': 'BODY', reject: 'REJECTED' },
  BODY: { 'body-end': 'END_SENT', reject: 'REJECTED' },
  END_SENT: { 'final-accept': 'ACCEPTED', reject: 'REJECTED' },
  ACCEPTED: {},
  REJECTED: {},
};

function next<State extends string, Trigger extends string>(
  table: Table<State, Trigger>,
  name: string,
  state: State,
  trigger: Trigger,
): State {
  const target = table[state][trigger];
  if (target === undefined) {
    throw new Error(`internal: no ${name} transition from ${state} on ${trigger}`);
  }
  return target;
}

export function nextConnectionState(state: ConnectionState, trigger: ConnectionTrigger): ConnectionState {
  return next(CONNECTION_TRANSITIONS, 'connection', state, trigger);
}

export function nextTransactionState(state: TransactionState, trigger: TransactionTrigger): TransactionState {
  return next(TRANSACTION_TRANSITIONS, 'transaction', state, trigger);
}

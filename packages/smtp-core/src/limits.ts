// Every bound the sans-I/O core enforces, as a named constant with its unit and its reason.
// Rule: no buffer in the core grows with what the server sends; each limit below caps one of them, and
// exceeding it is a `RemoteProtocolError` naming the limit (smtp-server's "never buffer unbounded input").

/**
 * Longest reply line accepted, in bytes including CRLF. RFC 5321 §4.5.3.1.5 sets 512 octets; real servers
 * exceed it a little in EHLO and error texts, so four times the RFC value, as a bound rather than a target.
 */
export const MAX_REPLY_LINE_BYTES = 2048;

/**
 * Most lines in one multi-line reply. The longest EHLO replies seen in practice (Exim with many
 * extensions, Microsoft 365) have about 15 lines; 128 leaves ample room and still stops an endless reply.
 */
export const MAX_REPLY_LINES = 128;

/**
 * Most bytes received but not yet parsed into events, in bytes. A driver that alternates
 * `receiveData()` and `nextEvent()` never comes close: pipelined replies for a batch of messages are a
 * few kilobytes. Bounded so that a server flooding the socket cannot grow memory without limit.
 */
export const MAX_RECEIVE_BUFFER_BYTES = 1024 * 1024;

/** Longest envelope address, in octets. RFC 5321 §4.5.3.1.3: a path is at most 256 octets. */
export const MAX_ADDRESS_BYTES = 256;

/** Longest EHLO name, in octets. RFC 5321 §4.5.3.1.2: a domain is at most 255 octets. */
export const MAX_CLIENT_NAME_BYTES = 255;

/** Most AUTH round trips (334 challenges) before the exchange is judged endless. SCRAM needs 2. */
export const MAX_AUTH_CHALLENGES = 4;

/** Most recipients per transaction. RFC 5321 §4.5.3.1.8 requires servers to accept at least 100. */
export const MAX_RECIPIENTS = 1000;

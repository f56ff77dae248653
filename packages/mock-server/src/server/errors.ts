// Errors the mock server throws at the test author. The mock server depends on no other strictmail
// package (so any repository can use it to test any client), so it has its own small error class with
// the same shape as strictmail's: a machine-readable `code`, and a message that says what happened,
// what was expected, what was received and what to do.

/** What went wrong while driving the mock server. */
export type MockServerErrorCode =
  /** `waitForMessage` saw no matching message before its deadline. */
  | 'WAIT_TIMEOUT'
  /** The server was closed while a caller still waited on it. */
  | 'SERVER_CLOSED'
  /** An option is malformed or contradicts another one. */
  | 'INVALID_OPTION'
  /** The server could not listen (for example `::1` on a machine without IPv6). */
  | 'LISTEN_FAILED';

/** The error every mock-server API throws or rejects with. */
export class MockServerError extends Error {
  readonly code: MockServerErrorCode;

  constructor(code: MockServerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'MockServerError';
  }
}

/** An error smtp-server turns into an SMTP reply with this code (its `responseCode` convention). */
export function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

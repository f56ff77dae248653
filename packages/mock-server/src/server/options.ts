// The options of `createMockSmtpServer`, their defaults, and their validation. Every default is chosen
// for a test suite: loopback only, port 0, a certificate from the run's throw-away CA, TLS 1.2 minimum,
// AUTH accepted but not required, and generous limits so tests fail on behaviour, not on limits.
import type { Fault } from './faults';

/** How the client reaches TLS. */
export type ServerMode =
  /** Plaintext greeting, STARTTLS advertised in EHLO (RFC 3207). The default. */
  | 'starttls'
  /** TLS from the first byte (RFC 8314 §3.3, "submissions" on port 465 in production). */
  | 'implicit-tls'
  /** No TLS at all: STARTTLS is not advertised. Plays a stripped or legacy server. */
  | 'plaintext';

/** One account the server knows when `auth` lists users. */
export interface MockUser {
  readonly user: string;
  /** Accepted with PLAIN and LOGIN. */
  readonly pass?: string;
  /** Accepted with XOAUTH2. */
  readonly accessToken?: string;
}

/** SASL mechanisms the server offers (RFC 4954; XOAUTH2 as documented by Google). */
export type AuthMechanism = 'PLAIN' | 'LOGIN' | 'XOAUTH2';

export interface AuthOptions {
  /** `any` accepts every username and secret; a list accepts only those accounts. Default `any`. */
  readonly accept?: 'any' | readonly MockUser[];
  /** Default `['PLAIN', 'LOGIN', 'XOAUTH2']`. */
  readonly mechanisms?: readonly AuthMechanism[];
  /** Whether MAIL is refused (530) before a successful AUTH. Default `false`. */
  readonly required?: boolean;
  /**
   * Whether AUTH is accepted before TLS in `starttls` mode. Default `false`: AUTH is answered 538 until
   * STARTTLS (RFC 4954 §4). smtp-server lists AUTH in the plaintext EHLO reply either way, so a client
   * that trusts the pre-TLS capability list still tries it (and the session records the attempt).
   * `true` plays a server that takes credentials in plaintext. In `plaintext` mode AUTH is always allowed.
   */
  readonly allowBeforeTls?: boolean;
}

/** TLS settings handed to Node's TLS stack, for scenarios that need a weak or unusual server. */
export interface ServerTlsOptions {
  /** PEM private key. With `cert`, replaces the leaf issued by the shared CA. */
  readonly key?: string;
  /** PEM certificate (chain). */
  readonly cert?: string;
  /** PEM the server reports as `ca` for clients to trust. Default: the shared CA's certificate. */
  readonly ca?: string;
  /** Default `TLSv1.2`. Always set: smtp-server's own default allows TLS 1.0. */
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list for TLS 1.2 and below (may lower the security level: `...@SECLEVEL=0`). */
  readonly ciphers?: string;
  /** OpenSSL TLS 1.3 cipher suites. */
  readonly ciphersuites?: string;
}

export interface MockSmtpServerOptions {
  /** Default `starttls`. */
  readonly mode?: ServerMode;
  /** Loopback address to listen on. Default `127.0.0.1`. The port is always 0 (chosen by the OS). */
  readonly host?: '127.0.0.1' | '::1';
  /** Name in the greeting and EHLO reply. Default `mock.strictmail.test`. */
  readonly name?: string;
  /** AUTH settings; `false` leaves AUTH out of EHLO entirely. Default: accept any credentials. */
  readonly auth?: AuthOptions | false;
  /** Message size limit in bytes, advertised as SIZE (RFC 1870) and enforced with 552. Default none. */
  readonly size?: number;
  /** Recipients accepted per transaction; more get 452 (RFC 5321 §4.5.3.1.10). Default none. */
  readonly maxRecipients?: number;
  /** Whether PIPELINING is advertised (RFC 2920). Default `true`. */
  readonly pipelining?: boolean;
  readonly tls?: ServerTlsOptions;
  /** Scripted faults, matched in order. See `Fault`. */
  readonly faults?: readonly Fault[];
  /** Answer the first RCPT of each (client IP, sender, recipient) triple with 451 (greylisting). */
  readonly greylist?: boolean | { readonly code?: number; readonly text?: string };
  /** Idle timeout of a connection in ms. Default 25,000: longer than any test step, shorter than a test timeout. */
  readonly idleTimeoutMs?: number;
}

/** Default idle timeout: long enough for a slow CI machine, shorter than vitest's 30 s test timeout. */
export const DEFAULT_IDLE_TIMEOUT_MS = 25_000;

export const DEFAULT_SERVER_NAME = 'mock.strictmail.test';

export const DEFAULT_AUTH_MECHANISMS: readonly AuthMechanism[] = ['PLAIN', 'LOGIN', 'XOAUTH2'];

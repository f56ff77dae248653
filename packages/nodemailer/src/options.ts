// The options of `strictmail(...)`: strictmail's own names first, then the nodemailer SMTP options a
// migrating user is likely to bring along. Rule: every option here is either mapped onto the TLS
// policy and the client, or refused with an error naming the safe alternative (see refusals.ts and
// migration.ts). Nothing is silently ignored, because a silently ignored TLS option is how a
// configuration that looks safe ends up sending in plaintext.
import type { TlsPolicy, TlsVersion } from '@strictmail/tls-policy';

/**
 * How the connection is secured. The safe modes have the short names; anything an active attacker can
 * defeat is spelled `dangerous-...` (see the TLS policy constructors of `@strictmail/tls-policy`).
 *
 * - `implicit-tls`: TLS from the first byte (RFC 8314 §3, port 465). Secure against an active MITM.
 * - `require-starttls`: STARTTLS is mandatory (RFC 3207, port 587). Secure against an active MITM.
 * - `dangerous-opportunistic-starttls`: STARTTLS when offered, plaintext otherwise; a MITM can strip it.
 * - `dangerous-plaintext`: never TLS; anyone on the path reads and alters everything.
 */
export type SecurityOption =
  | 'implicit-tls'
  | 'require-starttls'
  | 'dangerous-opportunistic-starttls'
  | 'dangerous-plaintext';

/** The security modes in the order the documentation lists them. */
export const SECURITY_OPTIONS: readonly SecurityOption[] = [
  'implicit-tls',
  'require-starttls',
  'dangerous-opportunistic-starttls',
  'dangerous-plaintext',
];

/** Password authentication (AUTH PLAIN / LOGIN, chosen by the client from what the server offers). */
export interface PasswordAuthOptions {
  readonly type?: 'login' | 'LOGIN' | 'plain' | 'PLAIN';
  readonly user: string;
  readonly pass: string;
}

/** OAuth 2.0 bearer token authentication (XOAUTH2). */
export interface OAuth2AuthOptions {
  readonly type: 'OAuth2' | 'OAUTH2' | 'oauth2';
  readonly user: string;
  /**
   * A token, or a function returning a fresh one (called whenever a connection authenticates). The
   * nodemailer refresh settings (`refreshToken`, `clientId`, `clientSecret`, ...) are refused: fetch the
   * token in that function with the OAuth library of your provider.
   */
  readonly accessToken: string | (() => Promise<string>);
}

export type AuthOptions = PasswordAuthOptions | OAuth2AuthOptions;

/** TLS trust settings, plus the nodemailer/Node `tls` keys that are migrated or refused. */
export interface TlsOptions {
  /** PEM CA certificate(s) to trust instead of the system roots (strings or Buffers, as nodemailer took). */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** base64 SHA-256 pins of the server's SubjectPublicKeyInfo (RFC 7469 §2.4). */
  readonly pins?: readonly string[];
  /** Accept a pinned key without a CA chain: the safe way to talk to a self-signed server. */
  readonly pinsOnly?: boolean;
  /** `TLSv1.2` (default) or `TLSv1.3`. */
  readonly minVersion?: TlsVersion;
  /** Name the certificate must carry, when it differs from `host` (e.g. when dialling an IP). */
  readonly serverName?: string;
  /** nodemailer/Node spelling of `serverName`. */
  readonly servername?: string;
  /** Refused when `false` (see the README). `true` is the default and accepted. */
  readonly rejectUnauthorized?: boolean;
  /** Anything else a nodemailer `tls` block may hold is refused with an explanation. */
  readonly [nodeTlsOption: string]: unknown;
}

/** strictmail's timeouts, in milliseconds. Unset ones keep the client's defaults. */
export interface TimeoutOptions {
  readonly connectMs?: number;
  readonly greetingMs?: number;
  readonly commandMs?: number;
  readonly dataEndMs?: number;
  readonly idleMs?: number;
}

export interface PoolOptions {
  /** Connections open at the same time. Default 5, as nodemailer's pool. */
  readonly maxConnections?: number;
  /** Messages sent over one connection before it is replaced. Default 100, as nodemailer's pool. */
  readonly maxMessages?: number;
  /** How long an idle pooled connection stays open, in milliseconds. */
  readonly idleTimeoutMs?: number;
}

/** A pino-like logger: `(object, message)`. nodemailer's bunyan-style loggers fit as well. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface StrictmailTransportOptions {
  /** The server to dial. Required: there is no `localhost` default. */
  readonly host?: string;
  /** Default 465 for `implicit-tls` and 587 for `require-starttls`; required for the dangerous modes. */
  readonly port?: number;
  /** Required unless the port makes it unambiguous (465: `implicit-tls`, 587: `require-starttls`). */
  readonly security?: SecurityOption | TlsPolicy;
  readonly auth?: AuthOptions;
  readonly tls?: TlsOptions;
  /** `true` for a pool with nodemailer's defaults, or the pool's settings. */
  readonly pool?: boolean | PoolOptions;
  /** The name sent with EHLO. Default: the client's own choice (see `@strictmail/smtp-core`). */
  readonly clientName?: string;
  readonly timeouts?: TimeoutOptions;
  /** A logger, `true` for one that writes to the console, `false`/unset for none. */
  readonly logger?: Logger | boolean;

  // nodemailer SMTP options, migrated (see migration.ts) or refused (see refusals.ts).
  /** nodemailer: `true` means implicit TLS. `false` alone means opportunistic STARTTLS and is refused. */
  readonly secure?: boolean;
  /** nodemailer: STARTTLS is mandatory. Same as `security: 'require-starttls'`. */
  readonly requireTLS?: boolean;
  /** nodemailer: never use TLS. Refused unless `security: 'dangerous-plaintext'`. */
  readonly ignoreTLS?: boolean;
  /** nodemailer: carry on in plaintext when STARTTLS fails. Refused unless `dangerous-opportunistic-starttls`. */
  readonly opportunisticTLS?: boolean;
  /** nodemailer: a well-known service name such as `'Gmail'` (host, port and security looked up). */
  readonly service?: string;
  /** nodemailer: the EHLO name. Same as `clientName`. */
  readonly name?: string;
  /** nodemailer: pool sizes beside `pool: true`. */
  readonly maxConnections?: number;
  readonly maxMessages?: number;
  /** nodemailer timeouts, in milliseconds. */
  readonly connectionTimeout?: number;
  readonly greetingTimeout?: number;
  readonly socketTimeout?: number;
}

/** nodemailer's pool defaults (smtp-pool/index.js), kept so that a migrated pool behaves the same. */
export const DEFAULT_MAX_CONNECTIONS = 5;
export const DEFAULT_MAX_MESSAGES = 100;

/** The well-known ports whose meaning is unambiguous (RFC 8314 §3.3 for 465, RFC 6409 §3.1 for 587). */
export const IMPLICIT_TLS_PORT = 465;
export const SUBMISSION_PORT = 587;

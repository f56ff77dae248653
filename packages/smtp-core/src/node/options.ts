// The options of `createClient` (the shared contract in ARCHITECTURE.md) and their validation.
// Rule: a bad option is a `ConfigurationError` thrown by `createClient`, before any connection exists.
import { ConfigurationError, type TlsPolicy } from '@strictmail/tls-policy';
import { validateClientName, validateCredential } from '../address';
import type { Logger } from './logger';
import { type ClientTimeouts, DEFAULT_CLIENT_TIMEOUTS } from './timeouts';

export type AuthOptions =
  | { readonly user: string; readonly pass: string }
  | { readonly user: string; readonly accessToken: string | (() => Promise<string>) };

export interface PoolOptions {
  /** Connections open at once. Default 5 (nodemailer's default). */
  readonly maxConnections?: number;
  /** Messages per connection before it is replaced. Default 100 (nodemailer's default). */
  readonly maxMessages?: number;
  /** Close a connection idle this long, in ms. Default `timeouts.idleMs` (30 s). */
  readonly idleTimeoutMs?: number;
}

export interface ClientOptions {
  readonly host: string;
  readonly port: number;
  readonly policy: TlsPolicy;
  readonly auth?: AuthOptions;
  /** The EHLO name. Default: the local address as a literal, e.g. `[192.0.2.10]`. */
  readonly clientName?: string;
  readonly timeouts?: Partial<ClientTimeouts>;
  readonly logger?: Logger;
  /** `false`: one connection per message, closed after it. Default: a pool. */
  readonly pool?: false | PoolOptions;
  /** Bare CR/LF in bodies: `normalize` (default) or `reject` (invariant 7). */
  readonly bareLineEndings?: 'normalize' | 'reject';
  /** Use PIPELINING / CHUNKING when offered (default true); for interoperability tests only. */
  readonly pipelining?: boolean;
  readonly chunking?: boolean;
}

export interface ResolvedPool {
  readonly maxConnections: number;
  readonly maxMessages: number;
  readonly idleTimeoutMs: number;
}

/** Most messages started on one connection before their results: enough to keep a pipelined link busy. */
export const PIPELINE_WINDOW = 32;

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) || value === Number.POSITIVE_INFINITY) || value <= 0) {
    throw new ConfigurationError('INVALID_OPTION', `${name} must be a positive integer; received ${value}.`);
  }
  return value;
}

export function resolveTimeouts(timeouts: Partial<ClientTimeouts> | undefined): ClientTimeouts {
  const resolved = { ...DEFAULT_CLIENT_TIMEOUTS, ...timeouts };
  for (const [name, value] of Object.entries(resolved)) positiveInteger(value, `timeouts.${name}`, 1);
  return resolved;
}

export function resolvePool(pool: false | PoolOptions | undefined, timeouts: ClientTimeouts): ResolvedPool {
  if (pool === false) return { maxConnections: Number.POSITIVE_INFINITY, maxMessages: 1, idleTimeoutMs: 0 };
  return {
    maxConnections: positiveInteger(pool?.maxConnections, 'pool.maxConnections', 5),
    maxMessages: positiveInteger(pool?.maxMessages, 'pool.maxMessages', 100),
    idleTimeoutMs: positiveInteger(pool?.idleTimeoutMs, 'pool.idleTimeoutMs', timeouts.idleMs),
  };
}

export function validateOptions(options: ClientOptions): void {
  if (typeof options.host !== 'string' || options.host === '') {
    throw new ConfigurationError('INVALID_OPTION', 'host must be a non-empty host name or IP address.');
  }
  if (!Number.isInteger(options.port) || options.port <= 0 || options.port > 65535) {
    throw new ConfigurationError('INVALID_OPTION', `port must be 1-65535; received ${options.port}.`);
  }
  if (options.policy === undefined || typeof options.policy.mode !== 'string') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      'policy is required: use implicitTls(), requireStarttls(), dangerousOpportunisticStarttls() or dangerousPlaintext() from @strictmail/tls-policy.',
    );
  }
  if (options.clientName !== undefined) validateClientName(options.clientName);
  const auth = options.auth;
  if (auth !== undefined) {
    validateCredential(auth.user, 'user');
    if ('pass' in auth) validateCredential(auth.pass, 'password');
    else if (typeof auth.accessToken === 'string') validateCredential(auth.accessToken, 'access token');
    else if (typeof auth.accessToken !== 'function') {
      throw new ConfigurationError(
        'INVALID_OPTION',
        'auth needs either pass or accessToken (a string or a function returning a Promise of one).',
      );
    }
  }
}

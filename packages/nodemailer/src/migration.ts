// nodemailer SMTP options that are not about TLS, turned into strictmail's: the EHLO name, timeouts,
// pool sizes, the logger, credentials and well-known services. Rule: an option is either mapped with
// the same meaning, or refused with `INVALID_OPTION` and a sentence saying what to do instead. A key this
// package does not know is refused too, so a typo in a security option can never pass unnoticed.
import { ConfigurationError } from '@strictmail/tls-policy';
import wellKnown from 'nodemailer/lib/well-known';
import {
  type AuthOptions,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_MESSAGES,
  type Logger,
  type StrictmailTransportOptions,
  type TimeoutOptions,
} from './options';

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', message);
}

/** Every top-level key `strictmail(...)` understands (strictmail's own, then migrated nodemailer ones). */
export const KNOWN_OPTION_KEYS: readonly string[] = [
  'host',
  'port',
  'security',
  'auth',
  'tls',
  'pool',
  'clientName',
  'timeouts',
  'logger',
  'secure',
  'requireTLS',
  'ignoreTLS',
  'opportunisticTLS',
  'service',
  'name',
  'maxConnections',
  'maxMessages',
  'connectionTimeout',
  'greetingTimeout',
  'socketTimeout',
];

/** nodemailer options with no strictmail equivalent, each with what to do instead. */
const UNSUPPORTED_OPTIONS: Readonly<Record<string, string>> = {
  url: 'give host, port and security as separate options (a URL cannot say which TLS policy is meant)',
  proxy: 'proxies are not supported; connect from a host that reaches the server directly',
  getSocket: 'custom sockets are not supported: strictmail must own the socket to enforce the TLS policy',
  socket: 'custom sockets are not supported: strictmail must own the socket to enforce the TLS policy',
  connection: 'custom sockets are not supported: strictmail must own the socket to enforce the TLS policy',
  localAddress: 'binding to a local address is not supported',
  lmtp: 'LMTP is not supported; use an SMTP submission port',
  authMethod: 'the AUTH mechanism is chosen from what the server offers after TLS; remove authMethod',
  customAuth: 'custom AUTH mechanisms are not supported; use auth: { user, pass } or OAuth2 with accessToken',
  forceAuth: 'credentials are always sent when given (and only over verified TLS); remove forceAuth',
  debug: "use logger: true (or a pino-like logger); protocol traces are logged at 'debug' level",
  transactionLog: "use logger: true (or a pino-like logger); protocol traces are logged at 'debug' level",
  dnsTimeout: 'the connection timeout covers name resolution: use timeouts.connectMs',
  maxRequeues: 'a message is reported failed rather than re-queued; retry it from your own queue',
  rateDelta: 'rate limiting is not supported; throttle in your own queue',
  rateLimit: 'rate limiting is not supported; throttle in your own queue',
  dkim: 'pass dkim as a default (createTransport(transport, { dkim })) or per message',
};

export function checkOptionKeys(options: object): void {
  for (const key of Object.keys(options)) {
    if (KNOWN_OPTION_KEYS.includes(key)) continue;
    const advice = UNSUPPORTED_OPTIONS[key];
    if (advice !== undefined) {
      throw invalid(`strictmail: the nodemailer option ${key} is not supported: ${advice}.`);
    }
    throw invalid(
      `strictmail: unknown option ${JSON.stringify(key)}. Expected one of ${KNOWN_OPTION_KEYS.join(', ')}. ` +
        'Unknown keys are refused so that a misspelt security option cannot be silently ignored.',
    );
  }
}

/** `service: 'Gmail'` and the like, looked up in nodemailer's own list of well-known services. */
export interface ServiceSettings {
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly secure: boolean | undefined;
}

export function lookUpService(service: string): ServiceSettings {
  const found = wellKnown(service) as false | { host?: string; port?: number; secure?: boolean };
  if (found === false) {
    throw invalid(
      `strictmail: service ${JSON.stringify(service)} is not one of nodemailer's well-known services. ` +
        'Give host, port and security instead.',
    );
  }
  return { host: found.host, port: found.port, secure: found.secure };
}

function positiveMilliseconds(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalid(
      `strictmail: ${name} must be a positive number of milliseconds; received ${String(value)}.`,
    );
  }
  return value;
}

const TIMEOUT_KEYS: readonly (keyof TimeoutOptions)[] = [
  'connectMs',
  'greetingMs',
  'commandMs',
  'dataEndMs',
  'idleMs',
];

/**
 * nodemailer's timeouts mapped onto strictmail's: `connectionTimeout` is the TCP (and TLS) connect,
 * `greetingTimeout` the wait for the 220 greeting, `socketTimeout` (nodemailer's inactivity limit) the
 * wait for any reply, including the one after the message data.
 */
export function migrateTimeouts(options: StrictmailTransportOptions): TimeoutOptions | undefined {
  const timeouts: Record<string, number> = {};
  if (options.timeouts !== undefined) {
    if (typeof options.timeouts !== 'object' || options.timeouts === null) {
      throw invalid('strictmail: timeouts must be an object such as { connectMs: 10000 }.');
    }
    for (const [key, value] of Object.entries(options.timeouts)) {
      if (!(TIMEOUT_KEYS as readonly string[]).includes(key)) {
        throw invalid(`strictmail: unknown timeout ${key}; expected one of ${TIMEOUT_KEYS.join(', ')}.`);
      }
      timeouts[key] = positiveMilliseconds(`timeouts.${key}`, value);
    }
  }
  const legacy: [keyof StrictmailTransportOptions, (keyof TimeoutOptions)[]][] = [
    ['connectionTimeout', ['connectMs']],
    ['greetingTimeout', ['greetingMs']],
    ['socketTimeout', ['commandMs', 'dataEndMs']],
  ];
  for (const [legacyKey, targets] of legacy) {
    const value = options[legacyKey];
    if (value === undefined) continue;
    const milliseconds = positiveMilliseconds(legacyKey, value);
    for (const target of targets) {
      if (timeouts[target] !== undefined && timeouts[target] !== milliseconds) {
        throw invalid(
          `strictmail: ${legacyKey} (${milliseconds}) contradicts timeouts.${target} (${timeouts[target]}); give one.`,
        );
      }
      timeouts[target] = milliseconds;
    }
  }
  return Object.keys(timeouts).length === 0 ? undefined : (timeouts as TimeoutOptions);
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(`strictmail: ${name} must be a positive integer; received ${String(value)}.`);
  }
  return value;
}

export interface ResolvedPool {
  readonly maxConnections: number;
  readonly maxMessages: number;
  readonly idleTimeoutMs?: number;
}

/** `pool: true` with nodemailer's top-level sizes, or `pool: { ... }`; nodemailer's defaults kept. */
export function migratePool(options: StrictmailTransportOptions): ResolvedPool | false {
  const { pool, maxConnections, maxMessages } = options;
  if (pool === undefined || pool === false) {
    if (maxConnections !== undefined || maxMessages !== undefined) {
      throw invalid('strictmail: maxConnections and maxMessages only apply to a pool; add pool: true.');
    }
    return false;
  }
  const settings = pool === true ? {} : pool;
  if (typeof settings !== 'object' || settings === null) {
    throw invalid('strictmail: pool must be true, false or { maxConnections, maxMessages, idleTimeoutMs }.');
  }
  for (const key of Object.keys(settings)) {
    if (!['maxConnections', 'maxMessages', 'idleTimeoutMs'].includes(key)) {
      throw invalid(
        `strictmail: unknown pool option ${key}; expected maxConnections, maxMessages, idleTimeoutMs.`,
      );
    }
  }
  const pick = (name: 'maxConnections' | 'maxMessages', fallback: number): number => {
    const nested = settings[name];
    const topLevel = options[name];
    if (nested !== undefined && topLevel !== undefined && nested !== topLevel) {
      throw invalid(
        `strictmail: ${name} is given twice with different values (${topLevel} and pool.${name}).`,
      );
    }
    return positiveInteger(name, nested ?? topLevel ?? fallback);
  };
  const resolved: ResolvedPool = {
    maxConnections: pick('maxConnections', DEFAULT_MAX_CONNECTIONS),
    maxMessages: pick('maxMessages', DEFAULT_MAX_MESSAGES),
  };
  return settings.idleTimeoutMs === undefined
    ? resolved
    : { ...resolved, idleTimeoutMs: positiveMilliseconds('pool.idleTimeoutMs', settings.idleTimeoutMs) };
}

/** `clientName`, or nodemailer's `name`: the EHLO argument. */
export function migrateClientName(options: StrictmailTransportOptions): string | undefined {
  const { clientName, name } = options;
  if (clientName !== undefined && name !== undefined && clientName !== name) {
    throw invalid(
      `strictmail: name (${name}) and clientName (${clientName}) disagree; give clientName only.`,
    );
  }
  const chosen = clientName ?? name;
  if (chosen !== undefined && (typeof chosen !== 'string' || chosen.length === 0)) {
    throw invalid('strictmail: clientName must be a non-empty host name (the EHLO argument).');
  }
  return chosen;
}

const consoleLogger: Logger = {
  debug: (object, message) => console.debug(message ?? '', object),
  info: (object, message) => console.info(message ?? '', object),
  warn: (object, message) => console.warn(message ?? '', object),
  error: (object, message) => console.error(message ?? '', object),
};

export function migrateLogger(logger: StrictmailTransportOptions['logger']): Logger | undefined {
  if (logger === undefined || logger === false) return undefined;
  if (logger === true) return consoleLogger;
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  if (typeof logger !== 'object' || logger === null || methods.some((m) => typeof logger[m] !== 'function')) {
    throw invalid(
      'strictmail: logger must be true, false, or an object with debug, info, warn and error methods.',
    );
  }
  return logger;
}

export type ResolvedAuth =
  | { readonly user: string; readonly pass: string }
  | { readonly user: string; readonly accessToken: string | (() => Promise<string>) };

const OAUTH2_REFRESH_KEYS = [
  'refreshToken',
  'clientId',
  'clientSecret',
  'accessUrl',
  'serviceClient',
  'privateKey',
];

export function migrateAuth(auth: AuthOptions | undefined): ResolvedAuth | undefined {
  if (auth === undefined) return undefined;
  if (typeof auth !== 'object' || auth === null || typeof auth.user !== 'string' || auth.user.length === 0) {
    throw invalid('strictmail: auth must be { user, pass } or { type: "OAuth2", user, accessToken }.');
  }
  const type = String(auth.type ?? 'login').toLowerCase();
  if (type === 'oauth2') {
    const refreshKeys = OAUTH2_REFRESH_KEYS.filter((key) => key in auth);
    if (refreshKeys.length > 0) {
      throw invalid(
        `strictmail: auth.${refreshKeys[0]} is not supported: give auth.accessToken as a function that ` +
          'returns a fresh token (obtain it with your provider’s OAuth library), e.g. ' +
          'accessToken: () => oauthClient.getAccessToken().',
      );
    }
    const { accessToken } = auth as { accessToken?: unknown };
    if (typeof accessToken !== 'function' && (typeof accessToken !== 'string' || accessToken.length === 0)) {
      throw invalid('strictmail: OAuth2 auth needs accessToken: a token string or a function returning one.');
    }
    return { user: auth.user, accessToken: accessToken as string | (() => Promise<string>) };
  }
  if (type !== 'login' && type !== 'plain') {
    throw invalid(
      `strictmail: auth.type ${JSON.stringify(auth.type)} is not supported; use login or OAuth2.`,
    );
  }
  const { pass } = auth as { pass?: unknown };
  if (typeof pass !== 'string') {
    throw invalid(
      'strictmail: auth.pass must be a string (the password is never logged or put in an error).',
    );
  }
  return { user: auth.user, pass };
}

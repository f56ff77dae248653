// From `strictmail({...})` options to the settings of `createClient`: host, port and a TLS policy built
// by the @strictmail/tls-policy constructors. Rule: the security mode is inferred only where it is
// unambiguous (port 465: implicit TLS, RFC 8314 §3.3; port 587: submission with mandatory STARTTLS,
// RFC 6409 + RFC 3207); otherwise it must be given. Every weakening option is refused (refusals.ts)
// unless the chosen mode is spelled `dangerous-...`. Runs before any connection exists.
import {
  ConfigurationError,
  dangerousOpportunisticStarttls,
  dangerousPlaintext,
  implicitTls,
  requireStarttls,
  type TlsPolicy,
  type TrustOptions,
} from '@strictmail/tls-policy';
import {
  checkOptionKeys,
  lookUpService,
  migrateAuth,
  migrateClientName,
  migrateLogger,
  migratePool,
  migrateTimeouts,
  type ResolvedAuth,
  type ResolvedPool,
} from './migration';
import {
  IMPLICIT_TLS_PORT,
  type Logger,
  SECURITY_OPTIONS,
  type SecurityOption,
  type StrictmailTransportOptions,
  SUBMISSION_PORT,
  type TimeoutOptions,
  type TlsOptions,
} from './options';
import {
  refuseDeprecatedTlsVersion,
  refuseIgnoreTls,
  refuseInsecureSecureFalse,
  refuseOpportunisticTls,
  refuseRejectUnauthorizedFalse,
  refuseWeakeningTlsKey,
  WEAKENING_TLS_KEYS,
} from './refusals';

/** Everything `createClient` needs, validated. */
export interface ResolvedTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly policy: TlsPolicy;
  readonly auth: ResolvedAuth | undefined;
  readonly clientName: string | undefined;
  readonly timeouts: TimeoutOptions | undefined;
  readonly logger: Logger | undefined;
  readonly pool: ResolvedPool | false;
}

type PolicyMode = TlsPolicy['mode'];

const MODE_OF: Readonly<Record<SecurityOption, PolicyMode>> = {
  'implicit-tls': 'implicit-tls',
  'require-starttls': 'require-starttls',
  'dangerous-opportunistic-starttls': 'opportunistic',
  'dangerous-plaintext': 'dangerous-plaintext',
};

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', message);
}

function isPolicy(value: unknown): value is TlsPolicy {
  return (
    typeof value === 'object' && value !== null && typeof (value as { mode?: unknown }).mode === 'string'
  );
}

function optionName(mode: PolicyMode): string {
  return mode === 'opportunistic' ? 'dangerous-opportunistic-starttls' : mode;
}

/** The mode the user asked for through `security`, a policy object, or nodemailer's booleans. */
function chooseMode(
  options: StrictmailTransportOptions,
  serviceSecure: boolean | undefined,
): PolicyMode | undefined {
  const { security } = options;
  let mode: PolicyMode | undefined;
  if (isPolicy(security)) {
    mode = security.mode;
  } else if (security !== undefined) {
    if (!SECURITY_OPTIONS.includes(security)) {
      throw invalid(
        `strictmail: security ${JSON.stringify(security)} is not a mode; expected one of ${SECURITY_OPTIONS.join(', ')}.`,
      );
    }
    mode = MODE_OF[security];
  }
  if (options.ignoreTLS === true && mode !== 'dangerous-plaintext') throw refuseIgnoreTls();
  if (options.opportunisticTLS === true && mode !== 'opportunistic') throw refuseOpportunisticTls();
  const contradiction = (option: string, implied: PolicyMode): ConfigurationError =>
    invalid(
      `strictmail: ${option} means security '${optionName(implied)}', but security is ` +
        `'${optionName(mode as PolicyMode)}'. Give security alone.`,
    );
  if (options.secure === true) {
    // nodemailer ignores requireTLS when secure is true, and so does this mapping.
    if (mode !== undefined && mode !== 'implicit-tls') throw contradiction('secure: true', 'implicit-tls');
    return 'implicit-tls';
  }
  if (options.requireTLS === true) {
    if (mode !== undefined && mode !== 'require-starttls')
      throw contradiction('requireTLS: true', 'require-starttls');
    return 'require-starttls';
  }
  if (options.secure === false) {
    if (mode === 'implicit-tls') throw contradiction('secure: false', 'require-starttls');
    if (mode === undefined) throw refuseInsecureSecureFalse(options.port);
    return mode;
  }
  if (mode === undefined && serviceSecure === true) return 'implicit-tls';
  return mode;
}

function inferModeFromPort(port: number | undefined): PolicyMode {
  if (port === IMPLICIT_TLS_PORT) return 'implicit-tls';
  if (port === SUBMISSION_PORT) return 'require-starttls';
  throw invalid(
    `strictmail: security is required${port === undefined ? '' : ` for port ${port}`}: only ports 465 ` +
      "(implicit TLS) and 587 (STARTTLS) say how the server expects TLS. Expected security: 'implicit-tls' " +
      "(TLS from the first byte, usually port 465) or security: 'require-starttls' (usually port 587).",
  );
}

function choosePort(port: number | undefined, mode: PolicyMode): number {
  if (port !== undefined) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw invalid(`strictmail: port must be an integer from 1 to 65535; received ${String(port)}.`);
    }
    if (port === IMPLICIT_TLS_PORT && mode === 'require-starttls') {
      throw invalid(
        "strictmail: port 465 expects TLS from the first byte, but security is 'require-starttls'. " +
          "Expected security: 'implicit-tls' on port 465, or port 587 for STARTTLS.",
      );
    }
    if (port === SUBMISSION_PORT && mode === 'implicit-tls') {
      throw invalid(
        "strictmail: port 587 expects STARTTLS, but security is 'implicit-tls' (nodemailer's secure: true). " +
          "Expected security: 'require-starttls' on port 587, or port 465 for implicit TLS.",
      );
    }
    return port;
  }
  if (mode === 'implicit-tls') return IMPLICIT_TLS_PORT;
  if (mode === 'require-starttls') return SUBMISSION_PORT;
  throw invalid(`strictmail: port is required with security '${optionName(mode)}'.`);
}

const TRUST_KEYS = ['ca', 'pins', 'pinsOnly', 'minVersion', 'serverName', 'servername', 'rejectUnauthorized'];
const DEPRECATED_VERSIONS = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1'];

function pemText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  throw invalid('strictmail: tls.ca entries must be PEM strings or Buffers holding PEM text.');
}

/** The `tls` block turned into TrustOptions, refusing every key that could weaken verification. */
function trustOptions(tls: TlsOptions | undefined, mode: PolicyMode): TrustOptions | undefined {
  if (tls === undefined) return undefined;
  if (typeof tls !== 'object' || tls === null) throw invalid('strictmail: tls must be an object.');
  for (const key of Object.keys(tls)) {
    if (WEAKENING_TLS_KEYS.includes(key)) {
      if (key === 'secureProtocol' && /^(SSLv|TLSv1_method|TLSv1_1)/.test(String(tls[key]))) {
        throw refuseDeprecatedTlsVersion('tls.secureProtocol', tls[key]);
      }
      throw refuseWeakeningTlsKey(key);
    }
    if (!TRUST_KEYS.includes(key)) {
      throw invalid(
        `strictmail: tls.${key} is not supported. Expected only ${TRUST_KEYS.join(', ')} ` +
          '(client certificates, sessions and other Node TLS settings are not configurable).',
      );
    }
  }
  if (tls.rejectUnauthorized === false && mode !== 'dangerous-plaintext')
    throw refuseRejectUnauthorizedFalse();
  if (tls.minVersion !== undefined && DEPRECATED_VERSIONS.includes(tls.minVersion as string)) {
    throw refuseDeprecatedTlsVersion('tls.minVersion', tls.minVersion);
  }
  const { rejectUnauthorized: _accepted, servername, serverName, ca, ...rest } = tls;
  if (serverName !== undefined && servername !== undefined && serverName !== servername) {
    throw invalid('strictmail: tls.serverName and tls.servername disagree; give serverName only.');
  }
  const trust: Record<string, unknown> = { ...rest };
  if (serverName ?? servername) trust.serverName = serverName ?? servername;
  if (ca !== undefined) {
    trust.ca = Array.isArray(ca) ? ca.map(pemText) : pemText(ca);
  }
  return Object.keys(trust).length === 0 ? undefined : (trust as TrustOptions);
}

function buildPolicy(mode: PolicyMode, trust: TrustOptions | undefined): TlsPolicy {
  switch (mode) {
    case 'implicit-tls':
      return implicitTls(trust);
    case 'require-starttls':
      return requireStarttls(trust);
    case 'opportunistic':
      return dangerousOpportunisticStarttls(trust);
    case 'dangerous-plaintext':
      if (trust !== undefined) {
        throw invalid(
          "strictmail: tls settings were given but security is 'dangerous-plaintext', which never uses TLS. " +
            'Remove tls, or choose a TLS mode.',
        );
      }
      return dangerousPlaintext();
  }
}

/** Validates `strictmail(...)` options and builds the client settings. Throws ConfigurationError. */
export function resolveTransportOptions(options: StrictmailTransportOptions): ResolvedTransportOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('strictmail: options must be an object such as { host, port, security, auth }.');
  }
  checkOptionKeys(options);
  const service = options.service === undefined ? undefined : lookUpService(options.service);
  const host = options.host ?? service?.host;
  if (typeof host !== 'string' || host.length === 0) {
    throw invalid('strictmail: host is required (the SMTP server to connect to); there is no default.');
  }
  const requestedPort = options.port ?? service?.port;
  const mode = chooseMode(options, service?.secure) ?? inferModeFromPort(requestedPort);
  const port = choosePort(requestedPort, mode);
  const trust = trustOptions(options.tls, mode);
  let policy: TlsPolicy;
  if (isPolicy(options.security)) {
    if (trust !== undefined) {
      throw invalid(
        'strictmail: security is a ready-made policy, so tls settings would be ignored; give them to the ' +
          'policy constructor instead (e.g. requireStarttls({ ca })).',
      );
    }
    policy = options.security;
  } else {
    policy = buildPolicy(mode, trust);
  }
  return {
    host,
    port,
    policy,
    auth: migrateAuth(options.auth),
    clientName: migrateClientName(options),
    timeouts: migrateTimeouts(options),
    logger: migrateLogger(options.logger),
    pool: migratePool(options),
  };
}

// Constructors for every policy. Rule: the safe modes have the short names (`implicitTls`,
// `requireStarttls`); anything an active attacker can defeat is spelled `dangerous...`. Every option is
// validated here, before any connection exists, so a bad pin or an unsupported TLS version fails at
// configuration time with a `ConfigurationError` instead of at the first send.
import { ConfigurationError } from './errors';
import { isWellFormedPin } from './pins';
import type {
  DangerousPlaintextPolicy,
  ImplicitTlsPolicy,
  OpportunisticPolicy,
  RequireStarttlsPolicy,
  TlsVersion,
  TrustOptions,
  TrustSettings,
} from './policy';

const SUPPORTED_MIN_VERSIONS: readonly TlsVersion[] = ['TLSv1.2', 'TLSv1.3'];
const DEPRECATED_VERSIONS: readonly string[] = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1'];
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', message);
}

function trustSettings(options: TrustOptions, constructorName: string): TrustSettings {
  const pins = [...(options.pins ?? [])];
  for (const pin of pins) {
    if (!isWellFormedPin(pin)) {
      throw invalid(
        `${constructorName}: pin ${JSON.stringify(pin)} is not a base64 SHA-256 of a SubjectPublicKeyInfo ` +
          '(expected 44 characters ending in "=", RFC 7469 §2.4). Compute one with: openssl x509 -in cert.pem ' +
          '-pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64',
      );
    }
  }
  if (options.pinsOnly === true && pins.length === 0) {
    throw invalid(
      `${constructorName}: pinsOnly is true but no pins were given; without pins nothing could be trusted. ` +
        'Give the server key pin(s), or drop pinsOnly to verify against certificate authorities.',
    );
  }
  const minVersion = options.minVersion ?? 'TLSv1.2';
  if (!SUPPORTED_MIN_VERSIONS.includes(minVersion)) {
    const deprecated = DEPRECATED_VERSIONS.includes(minVersion);
    throw new ConfigurationError(
      deprecated ? 'INSECURE_OPTION' : 'INVALID_OPTION',
      `${constructorName}: minVersion ${JSON.stringify(minVersion)} is not allowed; expected 'TLSv1.2' or ` +
        `'TLSv1.3'.${deprecated ? ' TLS 1.0 and 1.1 are deprecated by RFC 8996 and never accepted.' : ''}`,
    );
  }
  const ca =
    options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  if (ca !== undefined) {
    if (ca.length === 0) {
      throw invalid(
        `${constructorName}: ca is an empty list, so no certificate could ever verify. ` +
          'Leave ca out to use the system roots, or give the PEM of the CA that issued the server certificate.',
      );
    }
    for (const pem of ca) {
      if (typeof pem !== 'string' || !PEM_CERTIFICATE.test(pem)) {
        throw invalid(
          `${constructorName}: every ca entry must be a PEM certificate ("-----BEGIN CERTIFICATE-----"); ` +
            'received something else. Read the file with fs.readFileSync(path, "utf8").',
        );
      }
    }
  }
  const serverName = options.serverName;
  if (serverName !== undefined && (serverName.length === 0 || /[\s/]/.test(serverName))) {
    throw invalid(
      `${constructorName}: serverName ${JSON.stringify(serverName)} is not a host name or IP literal.`,
    );
  }
  const trust = pins.length === 0 ? 'pkix' : options.pinsOnly === true ? 'pin' : 'pkix-and-pin';
  return Object.freeze({
    trust,
    ca: ca === undefined ? undefined : Object.freeze(ca),
    pins: Object.freeze(pins),
    minVersion,
    serverName,
  });
}

/**
 * TLS from the first byte (RFC 8314 §3, port 465). The preferred mode: there is no plaintext phase, so
 * there is nothing to strip and nowhere to inject. Secure against an active man in the middle.
 */
export function implicitTls(options: TrustOptions = {}): ImplicitTlsPolicy {
  return Object.freeze({ mode: 'implicit-tls', ...trustSettings(options, 'implicitTls') });
}

/**
 * Plaintext greeting, then mandatory STARTTLS (RFC 3207, port 587). Secure against an active man in the
 * middle: if STARTTLS is missing or refused, the connection aborts before any credential, envelope or
 * message byte is sent.
 */
export function requireStarttls(options: TrustOptions = {}): RequireStarttlsPolicy {
  return Object.freeze({ mode: 'require-starttls', ...trustSettings(options, 'requireStarttls') });
}

/**
 * STARTTLS when the server offers it (and then verified like `requireStarttls`), plaintext when it does
 * not. DANGEROUS: an active attacker strips STARTTLS from the EHLO reply and reads the whole message.
 * Only for MX delivery to domains that publish no stronger policy (MTA-STS, DANE). Credentials are never
 * sent without verified TLS, whatever this mode allows for the message itself.
 */
export function dangerousOpportunisticStarttls(options: TrustOptions = {}): OpportunisticPolicy {
  return Object.freeze({
    mode: 'opportunistic',
    ...trustSettings(options, 'dangerousOpportunisticStarttls'),
  });
}

/**
 * Never TLS. DANGEROUS: anyone on the path reads and alters everything, credentials included. Only for
 * a relay on the same host or across a private link you trust.
 */
export function dangerousPlaintext(): DangerousPlaintextPolicy {
  return Object.freeze({ mode: 'dangerous-plaintext' });
}

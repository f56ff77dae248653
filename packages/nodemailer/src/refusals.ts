// The nodemailer options that would weaken the channel, and the error each one gets. Rule: a refused
// option fails `strictmail(...)` before any connection exists, with a ConfigurationError of code
// `INSECURE_OPTION` whose message says what the option would have done, why that is unsafe, and the safe
// way to get what the user most likely wanted. The only way past a refusal is a `security` mode spelled
// `dangerous-...` that admits the weakness by name.
import { ConfigurationError } from '@strictmail/tls-policy';

const SAFE_MODES =
  "security: 'implicit-tls' (port 465, TLS from the first byte) or security: 'require-starttls' " +
  '(port 587, STARTTLS mandatory)';

/** `ignoreTLS: true`: nodemailer never issues STARTTLS, so AUTH and the message go out in plaintext. */
export function refuseIgnoreTls(): ConfigurationError {
  return new ConfigurationError(
    'INSECURE_OPTION',
    'ignoreTLS: true was refused: it makes the connection skip STARTTLS, so the password and the whole ' +
      'message would travel in plaintext, readable and alterable by anyone on the path. Expected ' +
      `${SAFE_MODES}. If the server really is a relay on this host or behind a private link you trust, ` +
      "say so with security: 'dangerous-plaintext' instead of ignoreTLS.",
  );
}

/** `opportunisticTLS: true`: nodemailer carries on in plaintext when STARTTLS fails. */
export function refuseOpportunisticTls(): ConfigurationError {
  return new ConfigurationError(
    'INSECURE_OPTION',
    'opportunisticTLS: true was refused: it continues in plaintext when STARTTLS fails, and an active ' +
      'attacker can make it fail on purpose (RFC 3207 §6). Expected ' +
      `${SAFE_MODES}. For MX delivery to a domain with no stronger policy, ` +
      "security: 'dangerous-opportunistic-starttls' names that risk explicitly.",
  );
}

/**
 * `secure: false` with neither `requireTLS` nor a `security` mode: nodemailer's default, which uses
 * STARTTLS only when the server advertises it. A man in the middle deletes the advertisement (the
 * "STARTTLS stripping" attack) and nodemailer then sends AUTH and the message in plaintext.
 */
export function refuseInsecureSecureFalse(port: number | undefined): ConfigurationError {
  const portHint =
    port === 465
      ? ' Port 465 expects TLS from the first byte: you most likely want secure: true.'
      : port === 587
        ? ' On port 587 add requireTLS: true (or security: "require-starttls").'
        : '';
  return new ConfigurationError(
    'INSECURE_OPTION',
    'secure: false without requireTLS was refused: it means "use STARTTLS only if the server advertises it", ' +
      'and a man in the middle can delete that advertisement so that the password and the message go out in ' +
      `plaintext (STARTTLS stripping, RFC 3207 §6). Expected ${SAFE_MODES}, or requireTLS: true beside ` +
      `secure: false.${portHint} If plaintext fallback is really acceptable, use ` +
      "security: 'dangerous-opportunistic-starttls'.",
  );
}

/** `tls.rejectUnauthorized: false`: any certificate is accepted, so any MITM can present its own. */
export function refuseRejectUnauthorizedFalse(): ConfigurationError {
  return new ConfigurationError(
    'INSECURE_OPTION',
    'tls.rejectUnauthorized: false was refused: it accepts any certificate, so a man in the middle can present ' +
      'his own and read everything, credentials included; the connection would be encrypted to the attacker. ' +
      'Expected a way to trust the server that an attacker cannot forge: for a server with a private CA, ' +
      'tls: { ca: fs.readFileSync("ca.pem", "utf8") }; for a self-signed server, pin its key with ' +
      'tls: { pins: ["<base64 SHA-256 of its SubjectPublicKeyInfo>"], pinsOnly: true } (compute the pin with ' +
      'openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 ' +
      '-binary | base64). No TLS mode accepts unverified certificates; only ' +
      "security: 'dangerous-plaintext' (no TLS at all) makes this option moot.",
  );
}

/** `tls.minVersion` below TLS 1.2 (also nodemailer's `secureProtocol: 'TLSv1_method'` and the like). */
export function refuseDeprecatedTlsVersion(option: string, value: unknown): ConfigurationError {
  return new ConfigurationError(
    'INSECURE_OPTION',
    `${option}: ${JSON.stringify(value)} was refused: TLS 1.0 and 1.1 (and every SSL version) are deprecated ` +
      "by RFC 8996 and never negotiated. Expected tls.minVersion 'TLSv1.2' (the default) or 'TLSv1.3'. " +
      'If the server offers nothing newer, it must be upgraded: no strictmail mode talks to it over TLS.',
  );
}

/**
 * Node `tls` settings that can only weaken the handshake strictmail configures: a cipher list (which
 * can re-admit CBC or non-forward-secret suites, RFC 9325 §4.2), a fixed protocol method, a custom
 * identity check (which can skip RFC 6125 name matching), raw OpenSSL option bits, signature algorithms.
 */
export const WEAKENING_TLS_KEYS: readonly string[] = [
  'ciphers',
  'secureProtocol',
  'maxVersion',
  'checkServerIdentity',
  'secureOptions',
  'sigalgs',
  'ecdhCurve',
  'honorCipherOrder',
  'minDHSize',
];

export function refuseWeakeningTlsKey(key: string): ConfigurationError {
  return new ConfigurationError(
    'INSECURE_OPTION',
    `tls.${key} was refused: strictmail chooses the TLS versions, cipher suites and identity checks itself ` +
      '(TLS 1.2 or newer, forward-secret AEAD suites only, certificate chain and host name verified per ' +
      'RFC 6125), and this setting can only loosen them. Expected no such key. To trust a specific server, ' +
      'use tls.ca (its CA) or tls.pins (its key); to require TLS 1.3, use tls.minVersion.',
  );
}

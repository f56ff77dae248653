// The TLS policy as a sum type: one `mode`, each variant documenting its threat model (lettre's `Tls`
// is the precedent), plus the trust settings shared by every TLS mode. Safe choices have short
// constructor names; anything weaker is spelled `dangerous...`. Pure data: no `node:*` import.

/** The TLS versions a policy may require. TLS 1.0 and 1.1 are deprecated (RFC 8996) and not offered. */
export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

/**
 * How a connection becomes encrypted.
 *
 * - `implicit-tls`: TLS from the first byte (RFC 8314 §3, usually port 465). Preferred: there is no
 *   plaintext phase at all, so nothing can be stripped or injected. Secure against an active MITM.
 * - `require-starttls`: plaintext greeting, then STARTTLS is mandatory (RFC 3207, usually port 587).
 *   Secure against an active MITM: a stripped or refused STARTTLS aborts before any credential, envelope
 *   or message byte is sent.
 * - `opportunistic`: STARTTLS when offered, verified when used, plaintext otherwise. A malicious
 *   intermediary can strip STARTTLS and read everything. Only for MX delivery where no stronger policy
 *   (MTA-STS, DANE) exists; never sends credentials in plaintext.
 * - `dangerous-plaintext`: never TLS. Anyone on the path reads and alters everything, credentials
 *   included. Only for a relay on the same host or a private, trusted link.
 */
export type SecurityMode = 'implicit-tls' | 'require-starttls' | 'opportunistic' | 'dangerous-plaintext';

/** Whose signature makes a certificate acceptable. */
export type TrustMode =
  /** Chain to a configured root and host name per RFC 6125 (the default). */
  | 'pkix'
  /** PKIX and, in addition, one of the pins must match the leaf's SPKI. */
  | 'pkix-and-pin'
  /** One of the pins must match; the chain and name are not required (Postfix `fingerprint` level). */
  | 'pin';

export interface TrustSettings {
  readonly trust: TrustMode;
  /** PEM CA certificates to trust instead of the system roots. `undefined`: the system roots. */
  readonly ca: readonly string[] | undefined;
  /** base64 SHA-256 of SubjectPublicKeyInfo values (RFC 7469 §2.4 format). */
  readonly pins: readonly string[];
  /** Minimum TLS version; TLS 1.2 unless raised to 1.3. */
  readonly minVersion: TlsVersion;
  /** Name to verify instead of the dialled host (e.g. when dialling an IP of a named server). */
  readonly serverName: string | undefined;
}

export interface ImplicitTlsPolicy extends TrustSettings {
  readonly mode: 'implicit-tls';
}
export interface RequireStarttlsPolicy extends TrustSettings {
  readonly mode: 'require-starttls';
}
export interface OpportunisticPolicy extends TrustSettings {
  readonly mode: 'opportunistic';
}
export interface DangerousPlaintextPolicy {
  readonly mode: 'dangerous-plaintext';
}

export type TlsPolicy =
  | ImplicitTlsPolicy
  | RequireStarttlsPolicy
  | OpportunisticPolicy
  | DangerousPlaintextPolicy;

/** The policies that may carry TLS settings. */
export type TlsCapablePolicy = ImplicitTlsPolicy | RequireStarttlsPolicy | OpportunisticPolicy;

export interface TrustOptions {
  /** PEM CA certificate(s) to trust instead of the system roots. */
  readonly ca?: string | readonly string[];
  /** SPKI SHA-256 pins (base64). With `pinsOnly: false` (default) they are checked in addition to PKIX. */
  readonly pins?: readonly string[];
  /** Accept a matching pin without PKIX: the safe way to talk to a self-signed server. */
  readonly pinsOnly?: boolean;
  /** Default `TLSv1.2`. */
  readonly minVersion?: TlsVersion;
  readonly serverName?: string;
}

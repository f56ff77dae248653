// The vocabulary of the attack catalogue: what a scenario is, as plain data.
// A scenario never names a client: it describes what the endpoint does (an `AttackPlan`) and what any
// correct client must do about it (`expectation`), so every client is judged the same way.

/** How bad it is when a client fails the scenario. `control` scenarios prove the client works at all. */
export type RiskTier = 'high' | 'medium' | 'low' | 'control';

/** What a correct client does: refuse to send (exit non-zero, nothing leaked) or deliver over verified TLS. */
export type Expectation = 'must-refuse' | 'must-succeed';

/** How the client is told to connect (`SMTP_SECURITY`): STARTTLS on a plaintext port, or TLS from the first byte. */
export type SecurityMode = 'starttls' | 'implicit';

/** The certificate the endpoint presents. Everything but `valid` is a certificate no client may trust. */
export type CertificateDefect =
  | 'valid'
  | 'self-signed'
  | 'untrusted-root'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-host'
  | 'cn-only'
  | 'weak-key'
  | 'sha1-signature';

/** The TLS versions and cipher suites the endpoint allows. Everything but `modern`/`tls13-only` is legacy. */
export type TlsProfile =
  | 'modern'
  | 'tls13-only'
  | 'tls10-only'
  | 'tls11-only'
  | 'tls12-cbc-only'
  | 'tls12-static-rsa-only';

/** A reply the endpoint sends instead of the real one. */
export interface ForgedReply {
  readonly code: number;
  readonly text: string;
  /** Close the connection right after the reply (as with `421`, RFC 5321 §3.8). */
  readonly close?: boolean;
}

/** What the man in the middle does. Every field has a harmless default, so a plan lists only the attack. */
export interface AttackPlan {
  /** Advertise STARTTLS in the plaintext EHLO reply. Default `true`. */
  readonly advertiseStarttls?: boolean;
  /** Answer STARTTLS with this instead of `220` and a handshake. Default: `220`, then TLS. */
  readonly starttlsReply?: ForgedReply;
  /** Bytes appended to the `220` STARTTLS reply in the same write, before the handshake (RFC 3207 §6). */
  readonly injectAfterStarttls?: string;
  /** Refuse EHLO in plaintext so that only HELO works (and with it no extension, STARTTLS included). */
  readonly refuseEhlo?: boolean;
  /** Advertise AUTH in the plaintext EHLO reply (the lure). Default `false`. */
  readonly authBeforeTls?: boolean;
  /** Advertise AUTH in the EHLO reply over TLS. Default `true`. */
  readonly authAfterTls?: boolean;
  /** The certificate presented when the client starts TLS. Default `valid`. */
  readonly certificate?: CertificateDefect;
  /** Protocol versions and suites. Default `modern` (TLS 1.2 and 1.3, OpenSSL defaults). */
  readonly tls?: TlsProfile;
  /** Hand the client a body full of smuggling bait and examine the raw data phase. */
  readonly smugglingProbe?: boolean;
}

/** One entry of the catalogue. */
export interface Scenario {
  /** Stable, kebab-case, never renamed: reports and CI gates refer to it. */
  readonly id: string;
  readonly title: string;
  readonly tier: RiskTier;
  readonly expectation: Expectation;
  readonly modes: readonly SecurityMode[];
  /** What the endpoint does and why a correct client must react as expected (with the RFC or precedent). */
  readonly description: string;
  readonly plan: AttackPlan;
}

// The TLS receipt: what a finished, judged TLS session actually negotiated, computed from the session
// itself (never from the options that were asked for). It holds no secret: certificates are public and
// credentials are never part of it (invariant 9).

/** How TLS was entered: implicit TLS from the first byte (RFC 8314 §3) or STARTTLS (RFC 3207). */
export type TlsEntry = 'implicit-tls' | 'starttls';

/** What decided that the server's identity is acceptable. */
export type TrustDecision =
  /** The chain verified to a trusted root and the host name matched (RFC 5280, RFC 6125). */
  | 'pkix'
  /** The leaf's SPKI matched a configured pin; PKIX was not required. */
  | 'pin'
  /** Both: PKIX verified and a pin matched. */
  | 'pkix-and-pin'
  /** PKIX verified, and an MTA-STS policy in `enforce` mode named the MX (RFC 8461 §4). */
  | 'mta-sts';

export interface TlsReceipt {
  readonly entry: TlsEntry;
  /** The negotiated protocol, e.g. `TLSv1.3`. */
  readonly protocol: string;
  /** The negotiated cipher suite (standard name), e.g. `TLS_AES_256_GCM_SHA384`. */
  readonly cipher: string;
  /** The name the certificate was checked against (host name or IP literal). */
  readonly serverName: string;
  /** Whether the chain verified to a configured root. `false` only when a pin decided alone. */
  readonly chainVerified: boolean;
  /** Whether the certificate names `serverName`. `false` only when a pin decided alone. */
  readonly hostnameVerified: boolean;
  /** base64 SHA-256 of the leaf's SubjectPublicKeyInfo (the pin format). */
  readonly leafSpkiSha256: string;
  readonly subject: string;
  readonly issuer: string;
  /** ISO 8601 dates of the leaf's validity period. */
  readonly validFrom: string;
  readonly validTo: string;
  readonly decidedBy: TrustDecision;
  /** Whether the session was resumed from an earlier one (no new certificate was presented). */
  readonly resumed: boolean;
}

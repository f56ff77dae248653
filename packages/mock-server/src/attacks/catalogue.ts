// The attack catalogue ("badssl.com for SMTP clients"): every scenario as data, in one table.
// Ids are stable API. A plan describes only what the endpoint does; nothing here knows any client.
// Tiers: `high` = credentials or mail reach an attacker; `medium` = a weakened but encrypted channel, or
// a protocol confusion an attacker can cause but not directly turn into a leak; `low` = legacy crypto without a practical attack on one session; `control` = a
// correct server, which the client must use successfully (otherwise its refusals prove nothing).
// A secret sent in plaintext fails the audit in any tier.
import type { Scenario, SecurityMode } from './scenario-types';

const STARTTLS_ONLY: readonly SecurityMode[] = ['starttls'];
const IMPLICIT_ONLY: readonly SecurityMode[] = ['implicit'];
const BOTH_MODES: readonly SecurityMode[] = ['starttls', 'implicit'];

/** A stripping attacker also advertises plaintext AUTH, to collect whatever a lax client hands over. */
const STRIPPER = { authBeforeTls: true } as const;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'starttls-not-advertised',
    title: 'STARTTLS stripped from the EHLO reply',
    tier: 'high',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'The man in the middle removes STARTTLS from the EHLO reply and offers AUTH in plaintext. A client told to use STARTTLS must stop (RFC 3207 §4: a client requiring TLS must not continue without it).',
    plan: { ...STRIPPER, advertiseStarttls: false },
  },
  ...(
    [
      [454, '4.7.0 TLS not available due to temporary reason', 'a temporary refusal'],
      [502, '5.5.1 Command not implemented', 'command not implemented'],
      [530, '5.7.0 Must issue a STARTTLS command first', 'a nonsensical 530'],
      [354, 'Start mail input; end with <CRLF>.<CRLF>', 'a data-phase code'],
    ] as const
  ).map(
    ([code, text, what]): Scenario => ({
      id: `starttls-${code}`,
      title: `STARTTLS answered ${code}`,
      tier: 'high',
      expectation: 'must-refuse',
      modes: STARTTLS_ONLY,
      description: `STARTTLS is advertised but answered "${code} ${text}" (${what}). Only 220 starts TLS (RFC 3207 §4); anything else must abort, never continue in plaintext.`,
      plan: { ...STRIPPER, starttlsReply: { code, text } },
    }),
  ),
  {
    id: 'starttls-421-close',
    title: 'STARTTLS answered 421 and the connection closed',
    tier: 'high',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'STARTTLS is answered "421 4.7.0 Service not available" and the connection is closed. The client must report a failure, and must not retry in a way that skips TLS.',
    plan: {
      ...STRIPPER,
      starttlsReply: { code: 421, text: '4.7.0 Service not available, closing channel', close: true },
    },
  },
  {
    id: 'starttls-250',
    title: 'STARTTLS answered with a non-220 positive code',
    tier: 'high',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'STARTTLS is answered "250 2.0.0 OK". Only 220 means "start TLS now" (RFC 3207 §4); a client that treats any 2xx as success either continues in plaintext or starts a handshake the server never agreed to.',
    plan: { ...STRIPPER, starttlsReply: { code: 250, text: '2.0.0 OK' } },
  },
  {
    id: 'ehlo-refused-helo-only',
    title: 'EHLO refused, only HELO works',
    tier: 'high',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'EHLO is answered 502, so a client falling back to HELO sees no extensions and no STARTTLS (STARTTLS is then answered 502 too). Falling back to HELO must not mean falling back to plaintext.',
    plan: {
      ...STRIPPER,
      refuseEhlo: true,
      starttlsReply: { code: 502, text: '5.5.1 Command not implemented' },
    },
  },
  {
    id: 'inject-after-220-lines',
    title: 'Forged replies injected after the 220 to STARTTLS',
    tier: 'medium',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'The 220 to STARTTLS arrives in the same write as forged complete replies. Bytes received before the handshake must be treated as an attack and the session aborted (RFC 3207 §6; the class of CVE-2021-22947, CVE-2011-0411). Medium, not high: a client that silently discards them is not fooled, and one that reads them as replies gets forged answers but no secret crosses in plaintext; from the outside both look like "continued", and continuing past an active attack is what fails.',
    plan: {
      injectAfterStarttls: '250-forged.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n250 2.1.0 Ok\r\n',
    },
  },
  {
    id: 'inject-after-220-partial',
    title: 'A partial forged line injected after the 220 to STARTTLS',
    tier: 'medium',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'The 220 to STARTTLS is followed in the same write by the start of a line with no CRLF, which a client reading one buffer would glue to the first reply received over TLS (RFC 3207 §6).',
    plan: { injectAfterStarttls: '250-AUTH PLA' },
  },
  ...(
    [
      ['self-signed', 'a self-signed certificate', 'high', 'it chains to no trusted root'],
      [
        'untrusted-root',
        'a certificate from a CA the client was not told to trust',
        'high',
        'its root is not in SMTP_CA_FILE',
      ],
      [
        'expired',
        'an expired certificate from the trusted CA',
        'high',
        'notAfter is in the past (RFC 5280 §4.1.2.5)',
      ],
      [
        'not-yet-valid',
        'a certificate from the trusted CA that is not valid yet',
        'high',
        'notBefore is in the future (RFC 5280 §4.1.2.5)',
      ],
      [
        'wrong-host',
        'a certificate from the trusted CA for another host name',
        'high',
        'no subjectAltName matches the host the client dialled (RFC 6125 §6)',
      ],
      [
        'cn-only',
        'a certificate from the trusted CA with the host only in the CN, no subjectAltName',
        'medium',
        'RFC 9525, which obsoletes RFC 6125, no longer allows matching the CN, and an IP address never matches a CN',
      ],
      [
        'weak-key',
        'a certificate from the trusted CA with a 1024-bit RSA key',
        'medium',
        'RSA-1024 is below every current baseline (NIST SP 800-131A: 2048 bits)',
      ],
      [
        'sha1-signature',
        'a certificate from the trusted CA signed with SHA-1',
        'medium',
        'SHA-1 signatures are forgeable by chosen-prefix collision (SHAttered, 2017; CA/B Forum ban)',
      ],
    ] as const
  ).map(
    ([defect, what, tier, why]): Scenario => ({
      id: `cert-${defect}`,
      title: `Certificate: ${defect.replaceAll('-', ' ')}`,
      tier,
      expectation: 'must-refuse',
      modes: BOTH_MODES,
      description: `The endpoint terminates TLS with ${what}. The client must refuse the handshake because ${why}; anything it sends over that session reaches an endpoint it should not have trusted.`,
      plan: { certificate: defect },
    }),
  ),
  ...(
    [
      ['tls10-only', 'TLS 1.0 only', 'medium', 'TLS 1.0 is deprecated (RFC 8996)'],
      ['tls11-only', 'TLS 1.1 only', 'medium', 'TLS 1.1 is deprecated (RFC 8996)'],
      [
        'tls12-cbc-only',
        'TLS 1.2 with only CBC (MAC-then-encrypt) suites',
        'low',
        'CBC suites have a history of padding-oracle attacks (Lucky13); RFC 9325 §4.2 recommends AEAD suites',
      ],
      [
        'tls12-static-rsa-only',
        'TLS 1.2 with only static-RSA key exchange',
        'low',
        'static RSA has no forward secrecy (RFC 9325 §4.1)',
      ],
    ] as const
  ).map(
    ([profile, what, tier, why]): Scenario => ({
      id: profile,
      title: `Legacy TLS: ${what}`,
      tier,
      expectation: 'must-refuse',
      modes: BOTH_MODES,
      description: `The endpoint, with a valid certificate, speaks ${what}. The client should refuse: ${why}.`,
      plan: { tls: profile },
    }),
  ),
  {
    id: 'auth-dropped-after-tls',
    title: 'AUTH not offered after STARTTLS',
    tier: 'medium',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'TLS is fine, but the EHLO reply over TLS offers no AUTH. A client holding credentials must fail rather than send the message unauthenticated, and must not use capabilities learned before TLS (RFC 3207 §4.2).',
    plan: { authBeforeTls: false, authAfterTls: false },
  },
  {
    id: 'auth-plaintext-only',
    title: 'AUTH offered only in plaintext',
    tier: 'medium',
    expectation: 'must-refuse',
    modes: STARTTLS_ONLY,
    description:
      'The plaintext EHLO reply offers AUTH next to STARTTLS; the EHLO reply over TLS does not. Authenticating before TLS hands the password over (a plaintext leak, which fails the audit whatever the tier); authenticating after TLS on the strength of the plaintext list uses capabilities RFC 3207 §4.2 says to discard; sending without AUTH ignores the credentials the client was given.',
    plan: { authBeforeTls: true, authAfterTls: false },
  },
  {
    id: 'smuggling-probe',
    title: 'SMTP smuggling probe',
    tier: 'medium',
    expectation: 'must-succeed',
    modes: BOTH_MODES,
    description:
      'A correct server; the message body handed to the client holds bare CR, bare LF, lone dots and a fake end-of-data followed by a smuggled MAIL FROM. The raw data phase must show CRLF only, every leading dot stuffed (RFC 5321 §4.5.2), and no sequence a receiver could read as an early end of data (CVE-2023-51764/51765/51766).',
    plan: { smugglingProbe: true },
  },
  {
    id: 'control-starttls',
    title: 'Control: valid STARTTLS',
    tier: 'control',
    expectation: 'must-succeed',
    modes: STARTTLS_ONLY,
    description:
      'A correct STARTTLS server with a certificate from the trusted CA. The client must authenticate and deliver the message intact over TLS.',
    plan: {},
  },
  {
    id: 'control-implicit-tls',
    title: 'Control: valid implicit TLS',
    tier: 'control',
    expectation: 'must-succeed',
    modes: IMPLICIT_ONLY,
    description:
      'A correct implicit-TLS server (RFC 8314 §3.3). The client must authenticate and deliver the message intact.',
    plan: {},
  },
  {
    id: 'control-tls13-only',
    title: 'Control: TLS 1.3 only',
    tier: 'control',
    expectation: 'must-succeed',
    modes: BOTH_MODES,
    description: 'A correct server that speaks only TLS 1.3. A modern client must deliver.',
    plan: { tls: 'tls13-only' },
  },
];

/** Every scenario, in catalogue order. */
export function listScenarios(): readonly Scenario[] {
  return SCENARIOS;
}

/** The scenario with this id, or `undefined`. */
export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}

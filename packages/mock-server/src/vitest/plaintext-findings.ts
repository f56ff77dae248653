// Finds what a session let cross the wire before TLS: AUTH commands and their data, envelope commands,
// the message data phase, and any known secret (the passwords and tokens the client sent, the envelope
// addresses, and secrets the caller names) inside the plaintext client bytes, raw or base64-encoded
// (AUTH PLAIN's "\0user\0pass", AUTH LOGIN's lines, XOAUTH2). Findings never quote a secret: they
// say which one and how it appeared, so a failing test does not print the password it caught.
import type { MockSmtpSession } from '../server/session';

/** Base64 runs shorter than this (8 characters = 6 bytes) cannot carry a secret worth reporting. */
const MIN_BASE64_RUN = 8;

/**
 * Passwords and tokens shorter than this are not searched for (a 1-3 character test password would match
 * ordinary protocol text and raise false alarms); the AUTH command check above still catches their leak.
 * Secrets passed to the matcher are always searched.
 */
const MIN_COLLECTED_SECRET_LENGTH = 4;

export interface PlaintextSecretOptions {
  /** More strings that must not appear before TLS (a body marker, an API key...). */
  readonly secrets?: readonly string[];
}

/** The plaintext client bytes as text, plus every base64 run in them decoded. */
function views(bytes: Buffer): { raw: string; decoded: string[] } {
  const raw = bytes.toString('latin1');
  const decoded = [...raw.matchAll(new RegExp(`[A-Za-z0-9+/]{${MIN_BASE64_RUN},}={0,2}`, 'g'))].map((match) =>
    Buffer.from(match[0], 'base64').toString('latin1'),
  );
  return { raw, decoded };
}

/** Human-readable findings, empty when nothing crossed the wire before TLS. */
export function plaintextFindings(session: MockSmtpSession, options: PlaintextSecretOptions = {}): string[] {
  const findings: string[] = [];
  const plaintextCommands = session.commands.filter((command) => !command.secure);
  const count = (verb: string) => plaintextCommands.filter((command) => command.verb === verb).length;
  if (count('AUTH') > 0) findings.push(`${count('AUTH')} AUTH command(s) were sent before TLS`);
  if (count('AUTH-DATA') > 0)
    findings.push(`${count('AUTH-DATA')} AUTH continuation line(s) were sent before TLS`);
  for (const verb of ['MAIL', 'RCPT', 'DATA', 'BDAT']) {
    if (count(verb) > 0) findings.push(`${count(verb)} ${verb} command(s) were sent before TLS`);
  }
  const { raw, decoded } = views(session.bytes('client-to-server', 'plaintext'));
  const named: [string, string][] = [];
  const searchable = (secret: string | undefined): secret is string =>
    secret !== undefined && secret.length >= MIN_COLLECTED_SECRET_LENGTH;
  session.authAttempts.forEach((attempt, index) => {
    if (searchable(attempt.password)) {
      named.push([`the password of AUTH attempt ${index + 1}`, attempt.password]);
    }
    if (searchable(attempt.accessToken)) {
      named.push([`the access token of AUTH attempt ${index + 1}`, attempt.accessToken]);
    }
  });
  for (const address of new Set(session.envelopeAddresses))
    named.push([`the envelope address <${address}>`, address]);
  (options.secrets ?? []).forEach((secret, index) => {
    if (secret !== '') named.push([`secret #${index + 1} given to the matcher`, secret]);
  });
  for (const [label, secret] of named) {
    const length = `${secret.length} characters`;
    if (raw.includes(secret)) findings.push(`${label} (${length}) appears in the plaintext phase`);
    else if (decoded.some((text) => text.includes(secret))) {
      findings.push(`${label} (${length}) appears base64-encoded in the plaintext phase`);
    }
  }
  return findings;
}

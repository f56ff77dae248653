// Where the TLS policy is enforced in the SMTP dialogue (invariants 1-4). Each function takes what the
// server said and either names the next step or throws the `SecurityError` that stops the session.
// Pure decisions, no state: `connection.ts` calls them at the matching replies.
import { mayAuthenticate, SecurityError, type TlsPolicy, type TlsReceipt } from '@strictmail/tls-policy';
import { type Credentials, chooseMechanism } from './auth/mechanisms';
import type { Capabilities } from './capabilities';
import { SmtpReplyError } from './errors';
import type { Reply } from './reply';

/**
 * After a positive EHLO: go for STARTTLS, or continue (TLS already up, or a policy that allows plaintext).
 * RFC 3207 §4: under `require-starttls`, a missing STARTTLS keyword is a stripped one.
 */
export function afterEhlo(
  policy: TlsPolicy,
  tlsActive: boolean,
  capabilities: Capabilities,
): 'starttls' | 'continue' {
  if (tlsActive) return 'continue';
  if (policy.mode === 'require-starttls' && !capabilities.starttls) {
    throw new SecurityError(
      'STARTTLS_STRIPPED',
      'The server did not advertise STARTTLS and the policy "require-starttls" requires it. A man in the middle can remove STARTTLS from the EHLO reply (RFC 3207 §4, "STARTTLS stripping"); nothing was sent. Check the server, or use implicit TLS (port 465).',
    );
  }
  const tryTls = policy.mode === 'require-starttls' || policy.mode === 'opportunistic';
  return tryTls && capabilities.starttls ? 'starttls' : 'continue';
}

/**
 * After a negative EHLO: fall back to HELO only where TLS is not required, and only on a permanent
 * refusal. No HELO fallback while TLS is required: HELO has no STARTTLS (RFC 5321 §4.1.4, RFC 3207 §4).
 */
export function afterEhloRefused(policy: TlsPolicy, tlsActive: boolean, reply: Reply): 'helo' {
  if (policy.mode === 'require-starttls') {
    throw new SecurityError(
      'EHLO_REFUSED',
      `The server refused EHLO (${reply.text.slice(0, 200)}) ${tlsActive ? 'after STARTTLS' : 'before STARTTLS'} and the policy "${policy.mode}" requires TLS with EHLO. Falling back to HELO would give up STARTTLS and every extension (RFC 5321 §4.1.4, RFC 3207 §4); strictmail aborts instead.`,
    );
  }
  if (!reply.isPermanent()) {
    throw new SmtpReplyError('EHLO_REJECTED', `The server refused EHLO: ${reply.text}`, {
      command: 'EHLO',
      reply,
    });
  }
  return 'helo';
}

/**
 * The reply to STARTTLS. RFC 3207 §4: only 220 means "ready to start TLS". RFC 3207 §6: nothing that
 * arrived with it in plaintext may be acted upon, so any byte buffered behind the 220 aborts.
 */
export function checkStarttlsReply(policy: TlsPolicy, reply: Reply, bufferedBytes: number): void {
  if (reply.code !== 220) {
    throw new SecurityError(
      'STARTTLS_REFUSED',
      `The server answered STARTTLS with "${reply.text.slice(0, 200)}" instead of 220 and the policy "${policy.mode}" does not allow continuing without TLS (RFC 3207 §4). Nothing else was sent.`,
    );
  }
  if (bufferedBytes > 0) throw preTlsInjection(`${bufferedBytes} byte(s) arrived together with the 220`);
}

/** The error for bytes received between the 220 to STARTTLS and the finished handshake (invariant 3). */
export function preTlsInjection(what: string): SecurityError {
  return new SecurityError(
    'PRE_TLS_DATA_INJECTED',
    `${what} after the server's 220 to STARTTLS and before the TLS handshake finished. RFC 3207 §6 forbids acting on them; an attacker can inject replies that would later be read as if they came over TLS (CVE-2021-22947 class). The connection was aborted.`,
  );
}

/**
 * Which SASL mechanism to use, or why none may be used. Invariant 1: credentials only over a judged TLS
 * session (`mayAuthenticate`), or in the mode spelled dangerous-plaintext. A server that advertised AUTH
 * before TLS and not after is refused rather than silently used without authentication.
 */
export function chooseAuthentication(
  policy: TlsPolicy,
  receipt: TlsReceipt | null,
  credentials: Credentials,
  capabilities: Capabilities,
  advertisedAuthBeforeTls: boolean,
): string {
  if (!mayAuthenticate(policy, receipt)) {
    throw new SecurityError(
      'AUTH_UNAVAILABLE',
      `Credentials were given but the session is not verified TLS (policy "${policy.mode}"${receipt === null ? ', no STARTTLS offered' : ''}). strictmail never sends credentials outside a judged TLS session (invariant 1). Use requireStarttls() or implicitTls().`,
    );
  }
  const mechanism = chooseMechanism(credentials, capabilities.auth);
  if (mechanism !== null) return mechanism;
  const lost = advertisedAuthBeforeTls && capabilities.auth.length === 0;
  throw new SecurityError(
    'AUTH_UNAVAILABLE',
    lost
      ? 'The server advertised AUTH before TLS but not after it. Sending without authenticating would silently change what was asked for; the pre-TLS advertisement may have been forged or the server is misconfigured (RFC 3207 §4.2). Nothing was sent.'
      : `Credentials were given but the server offers no usable AUTH mechanism (offered: ${capabilities.auth.join(' ') || 'none'}; strictmail supports ${'accessToken' in credentials ? 'XOAUTH2' : 'SCRAM-SHA-256, PLAIN, LOGIN'}). Nothing was sent.`,
  );
}

// The matchers `@strictmail/mock-server/vitest` registers with `expect.extend`. Each one judges what the
// server recorded, and its failure message says what was expected, what the server saw, and (for
// secrets) how they appeared, without ever printing a secret.
import type { MockSmtpServer } from '../server/create-mock-smtp-server';
import { describeFilter, type MessageFilter, matchesFilter } from '../server/message';
import type { MockSmtpSession } from '../server/session';
import { type PlaintextSecretOptions, plaintextFindings } from './plaintext-findings';

export interface TlsExpectation {
  /** Lowest acceptable protocol. Default `TLSv1.2` (RFC 8996 deprecates 1.0 and 1.1). */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** How TLS must have started. Default: either way. */
  readonly entry?: 'starttls' | 'implicit-tls';
}

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

const VERSION_RANK: Record<string, number> = { TLSv1: 1, 'TLSv1.1': 2, 'TLSv1.2': 3, 'TLSv1.3': 4 };

function isSession(value: unknown): value is MockSmtpSession {
  return typeof value === 'object' && value !== null && 'transcript' in value && 'commands' in value;
}

function isServer(value: unknown): value is MockSmtpServer {
  return typeof value === 'object' && value !== null && 'messages' in value && 'waitForMessage' in value;
}

function notA(what: string, received: unknown): MatcherResult {
  return { pass: false, message: () => `expected ${what}, received ${typeof received}` };
}

/** `expect(session).toHaveNoPlaintextSecrets({ secrets? })`, or on a server: every session of it. */
export function toHaveNoPlaintextSecrets(received: unknown, options?: PlaintextSecretOptions): MatcherResult {
  let sessions: readonly MockSmtpSession[];
  let subject: string;
  if (isSession(received)) {
    sessions = [received];
    subject = `session ${received.id}`;
  } else if (isServer(received)) {
    sessions = received.sessions;
    subject = `any of the server's ${sessions.length} session(s)`;
  } else {
    return notA('a MockSmtpSession (server.sessions[i]) or a MockSmtpServer', received);
  }
  const findings = sessions.flatMap((session, index) =>
    plaintextFindings(session, options).map((finding) =>
      isServer(received) ? `session #${index + 1} (${session.id}): ${finding}` : finding,
    ),
  );
  return {
    pass: findings.length === 0,
    message: () =>
      findings.length === 0
        ? `expected ${subject} to leak something before TLS, but nothing sensitive crossed the wire in plaintext`
        : `expected no secret, credential, envelope or message data before TLS in ${subject}, but:\n` +
          findings.map((finding) => `  - ${finding}`).join('\n'),
  };
}

/** `expect(session).toHaveUsedTls({ minVersion?, entry? })` */
export function toHaveUsedTls(received: unknown, expectation: TlsExpectation = {}): MatcherResult {
  if (!isSession(received)) return notA('a MockSmtpSession (server.sessions[i])', received);
  const minVersion = expectation.minVersion ?? 'TLSv1.2';
  const tls = received.tls;
  const problems: string[] = [];
  if (tls === null) problems.push('the session never started TLS');
  else {
    if ((VERSION_RANK[tls.protocol] ?? 0) < (VERSION_RANK[minVersion] ?? 0)) {
      problems.push(`it negotiated ${tls.protocol}, below ${minVersion}`);
    }
    if (expectation.entry !== undefined && tls.entry !== expectation.entry) {
      problems.push(`TLS started by ${tls.entry}, not ${expectation.entry}`);
    }
  }
  const described = tls === null ? 'no TLS' : `${tls.protocol} (${tls.cipher}) via ${tls.entry}`;
  return {
    pass: problems.length === 0,
    message: () =>
      problems.length === 0
        ? `expected session ${received.id} not to use TLS >= ${minVersion}, but it used ${described}`
        : `expected session ${received.id} to use TLS >= ${minVersion}${expectation.entry ? ` via ${expectation.entry}` : ''}, but ${problems.join(' and ')}`,
  };
}

/** `expect(server).toHaveReceivedMessage(filter?)` */
export function toHaveReceivedMessage(received: unknown, filter?: MessageFilter): MatcherResult {
  if (!isServer(received)) return notA('a MockSmtpServer', received);
  const pass = received.messages.some((message) => matchesFilter(message, filter));
  const summary = received.messages
    .map(
      (message) =>
        `  #${message.sequence} from <${message.envelope.from}> to ${message.envelope.to.map((to) => `<${to}>`).join(', ')}: ${JSON.stringify(message.parsed.subject ?? '')}`,
    )
    .join('\n');
  return {
    pass,
    message: () =>
      pass
        ? `expected the server not to have received ${describeFilter(filter)}, but it did`
        : `expected the server to have received ${describeFilter(filter)}, but it received ${received.messages.length} message(s)${summary ? `:\n${summary}` : ''}`,
  };
}

/** All matchers, for `expect.extend(mockSmtpMatchers)` in a custom setup. */
export const mockSmtpMatchers = {
  toHaveNoPlaintextSecrets(received: unknown, options?: PlaintextSecretOptions) {
    return toHaveNoPlaintextSecrets(received, options);
  },
  toHaveUsedTls(received: unknown, expectation?: TlsExpectation) {
    return toHaveUsedTls(received, expectation);
  },
  toHaveReceivedMessage(received: unknown, filter?: MessageFilter) {
    return toHaveReceivedMessage(received, filter);
  },
};

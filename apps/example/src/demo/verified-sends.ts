// Part one of the demo: a real message, sent with nodemailer + strictmail to the embedded mock server
// over verified STARTTLS and then over implicit TLS, with the client's TLS receipt beside what the
// server saw (envelope, AUTH user, its own view of the TLS session, the parsed message).
// Rule: the demo trusts only the CA the mock server generated for this run; nothing is disabled.
import { randomBytes } from 'node:crypto';
import { createMockSmtpServer, type MockSmtpSession } from '@strictmail/mock-server';
import { type StrictmailSentMessageInfo, strictmail } from '@strictmail/nodemailer';
import { implicitTls, requireStarttls, type TlsReceipt } from '@strictmail/tls-policy';
import nodemailer from 'nodemailer';

export interface VerifiedSend {
  readonly entry: 'starttls' | 'implicit-tls';
  /** The policy as code, e.g. `requireStarttls({ ca })`. */
  readonly policy: string;
  readonly client: {
    readonly messageId: string;
    readonly accepted: readonly string[];
    readonly response: string;
    readonly tls: TlsReceipt | null;
  };
  readonly server: {
    readonly from: string;
    readonly to: readonly string[];
    readonly user: string | null;
    readonly tls: { readonly entry: string; readonly protocol: string; readonly cipher: string } | null;
    readonly subject: string | undefined;
    readonly text: string | undefined;
    /** Verbs the server received before TLS (STARTTLS only), and inside TLS, up to the data phase. */
    readonly commandsBeforeTls: readonly string[];
    readonly commandsInsideTls: readonly string[];
  };
}

/**
 * The command verbs of a session up to the data phase, split at the TLS boundary. Verbs only: the AUTH
 * line carries credentials, and the verb is what shows EHLO being sent again after STARTTLS.
 */
function commandVerbs(session: MockSmtpSession | undefined): { before: string[]; inside: string[] } {
  const before: string[] = [];
  const inside: string[] = [];
  for (const command of session?.commands ?? []) {
    if (command.verb === 'AUTH-DATA') continue;
    (command.secure ? inside : before).push(command.verb);
    if (command.verb === 'DATA' || command.verb === 'BDAT') break;
  }
  return { before, inside };
}

const DEMO_USER = 'demo@strictmail.test';
const DEMO_FROM = 'demo@strictmail.test';
const DEMO_TO = 'you@example.test';

async function sendOnce(entry: VerifiedSend['entry']): Promise<VerifiedSend> {
  // A throw-away password: the server accepts only this account, so AUTH is really exercised.
  const pass = randomBytes(12).toString('base64url');
  const server = await createMockSmtpServer({
    mode: entry,
    auth: { accept: [{ user: DEMO_USER, pass }], required: true },
  });
  try {
    // The copyable part: trust exactly the CA that issued the server certificate, nothing else.
    const policy =
      entry === 'implicit-tls' ? implicitTls({ ca: server.ca }) : requireStarttls({ ca: server.ca });
    const transport = strictmail({
      host: server.host,
      port: server.port,
      security: policy,
      auth: { user: DEMO_USER, pass },
    });
    const transporter = nodemailer.createTransport(transport);
    const subject = `strictmail demo over ${entry === 'implicit-tls' ? 'implicit TLS' : 'STARTTLS'}`;
    let info: StrictmailSentMessageInfo;
    try {
      info = await transporter.sendMail({
        from: DEMO_FROM,
        to: DEMO_TO,
        subject,
        text: 'Hello from strictmail: this message crossed a verified TLS session only.\n',
      });
    } finally {
      await transport.close();
    }
    const received = await server.waitForMessage({ subject });
    const verbs = commandVerbs(server.sessions.find((session) => session.id === received.sessionId));
    return {
      entry,
      policy: entry === 'implicit-tls' ? 'implicitTls({ ca })' : 'requireStarttls({ ca })',
      client: { messageId: info.messageId, accepted: info.accepted, response: info.response, tls: info.tls },
      server: {
        from: received.envelope.from,
        to: received.envelope.to,
        user: received.user,
        tls:
          received.tls === null
            ? null
            : {
                entry: received.tls.entry,
                protocol: received.tls.protocol,
                cipher: received.tls.standardName,
              },
        subject: received.parsed.subject,
        text: received.parsed.text,
        commandsBeforeTls: verbs.before,
        commandsInsideTls: verbs.inside,
      },
    };
  } finally {
    await server.close();
  }
}

/** Sends over STARTTLS, then over implicit TLS, each to its own fresh mock server. */
export async function runVerifiedSends(onProgress?: (step: string) => void): Promise<VerifiedSend[]> {
  onProgress?.('sending over STARTTLS to the embedded mock server');
  const starttls = await sendOnce('starttls');
  onProgress?.('sending over implicit TLS to the embedded mock server');
  const implicit = await sendOnce('implicit-tls');
  return [starttls, implicit];
}

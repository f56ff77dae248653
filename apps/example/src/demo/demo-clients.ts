// The three clients the demo scores, given exactly what the audit hands any client (host, port,
// security, the one CA to trust, credentials, envelope, message). Rule: each uses its library's
// documented options and nothing more, so the scorecard compares defaults, not tuning:
// - strictmail: nodemailer builds the message, @strictmail/nodemailer delivers it under a policy;
// - nodemailer: its own SMTP transport with default options (`secure` for implicit TLS, `tls.ca`);
// - nodemailer + requireTLS: the same, with the option its documentation gives for mandatory STARTTLS.
import { strictmail } from '@strictmail/nodemailer';
import { implicitTls, requireStarttls } from '@strictmail/tls-policy';
import nodemailer from 'nodemailer';

/** What one scenario gives a client: the client command contract, as an object. */
export interface ClientTarget {
  readonly host: string;
  readonly port: number;
  readonly security: 'starttls' | 'implicit';
  /** PEM of the only CA the client may trust. */
  readonly ca: string;
  readonly user: string;
  readonly password: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
}

export interface DemoClient {
  readonly id: 'strictmail' | 'nodemailer-default' | 'nodemailer-require-tls';
  readonly label: string;
  /** Resolves when the client claims the message was sent; rejects when it refused or failed. */
  send(target: ClientTarget, signal: AbortSignal): Promise<void>;
}

/**
 * nodemailer's own timeouts are 2 minutes (connection), 30 s (greeting) and 10 minutes (socket). They
 * are shortened to 5 s so a client that waits on a silent endpoint shows as failed instead of stalling
 * the demo; no security-relevant option is touched. Loopback answers in milliseconds.
 */
export const DEMO_NODEMAILER_TIMEOUT_MS = 5_000;

/**
 * The message as raw RFC 5322 text, so that the body reaches each client's data-phase encoder exactly
 * as the scenario wrote it (the smuggling probe's bare CR, bare LF and lone dots included) instead of
 * being re-encoded by nodemailer's MIME composer first.
 */
function message(target: ClientTarget, signal: AbortSignal) {
  const raw = [
    `From: <${target.from}>`,
    `To: ${target.to.map((address) => `<${address}>`).join(', ')}`,
    `Subject: ${target.subject}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    target.body,
  ].join('\r\n');
  return { envelope: { from: target.from, to: [...target.to] }, raw, signal };
}

function nodemailerClient(id: DemoClient['id'], label: string, requireTLS: boolean): DemoClient {
  return {
    id,
    label,
    async send(target, signal) {
      const transporter = nodemailer.createTransport({
        host: target.host,
        port: target.port,
        secure: target.security === 'implicit',
        ...(requireTLS ? { requireTLS: true } : {}),
        auth: { user: target.user, pass: target.password },
        tls: { ca: target.ca },
        connectionTimeout: DEMO_NODEMAILER_TIMEOUT_MS,
        greetingTimeout: DEMO_NODEMAILER_TIMEOUT_MS,
        socketTimeout: DEMO_NODEMAILER_TIMEOUT_MS,
      });
      try {
        await transporter.sendMail(message(target, signal));
      } finally {
        transporter.close();
      }
    },
  };
}

export const STRICTMAIL_CLIENT: DemoClient = {
  id: 'strictmail',
  label: 'strictmail',
  async send(target, signal) {
    const trust = { ca: target.ca };
    const transport = strictmail({
      host: target.host,
      port: target.port,
      security: target.security === 'implicit' ? implicitTls(trust) : requireStarttls(trust),
      auth: { user: target.user, pass: target.password },
    });
    const transporter = nodemailer.createTransport(transport);
    try {
      await transporter.sendMail(message(target, signal));
    } finally {
      await transport.close();
    }
  },
};

export const DEMO_CLIENTS: readonly DemoClient[] = [
  STRICTMAIL_CLIENT,
  nodemailerClient('nodemailer-default', 'nodemailer', false),
  nodemailerClient('nodemailer-require-tls', 'nodemailer requireTLS', true),
];

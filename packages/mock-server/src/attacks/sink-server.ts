// The server behind the man in the middle: a plaintext smtp-server that accepts the scenario's
// credentials (PLAIN, LOGIN, XOAUTH2), accepts mail with or without AUTH (a lax relay, so that a client
// which silently skips AUTH is caught delivering), and records every delivered message. It stands for
// "the attacker's relay plus the real server": TLS, when there is any, is terminated by the endpoint
// in front of it, which decides what the client sees.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { IssuedCertificate } from '../certificates/authority';
import type { ScenarioSecrets } from './secrets';

/** Largest message the sink accepts (10 MiB: the audit sends a few hundred bytes; this only bounds memory). */
export const SINK_MAX_MESSAGE_BYTES = 10 * 1_048_576;

/** A message as the sink received it. */
export interface DeliveredMessage {
  readonly from: string | undefined;
  readonly to: readonly string[];
  /** The message after SMTP dot-unstuffing, as smtp-server hands it to `onData`. */
  readonly raw: Buffer;
  /** The user the session authenticated as, if it did. */
  readonly user: string | undefined;
}

export interface SinkServer {
  readonly port: number;
  readonly messages: DeliveredMessage[];
  /** Number of AUTH attempts that failed (wrong user or password). */
  readonly failedLogins: () => number;
  close(): Promise<void>;
}

export async function startSinkServer(
  secrets: ScenarioSecrets,
  certificate: IssuedCertificate,
): Promise<SinkServer> {
  const messages: DeliveredMessage[] = [];
  let failedLogins = 0;
  const server = new SMTPServer({
    secure: false,
    hideSTARTTLS: true,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    disableReverseLookup: true,
    logger: false,
    size: SINK_MAX_MESSAGE_BYTES,
    // Never smtp-server's built-in (expired) certificate, even though this server never starts TLS.
    key: certificate.privateKeyPem,
    cert: certificate.certificatePem,
    minVersion: 'TLSv1.2',
    onAuth(auth, _session, callback) {
      const secret = auth.method === 'XOAUTH2' ? auth.accessToken : auth.password;
      if (auth.username === secrets.user && secret === secrets.password) {
        callback(null, { user: auth.username });
        return;
      }
      failedLogins += 1;
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          from: mailFrom === false ? undefined : mailFrom.address,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  // smtp-server re-emits every connection error on the server; the endpoint resets upstream connections
  // whenever its client leaves, so a reset here is routine, not a failure of the sink.
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    failedLogins: () => failedLogins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

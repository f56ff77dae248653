// The server behind the man in the middle: the package's own `createMockSmtpServer` in plaintext mode,
// accepting only the scenario's credentials (PLAIN, LOGIN, XOAUTH2) but accepting mail with or without
// AUTH (a lax relay, so that a client which silently skips AUTH is caught delivering). It stands for
// "the attacker's relay plus the real server": TLS, when there is any, is terminated by the endpoint in
// front of it, which decides what the client sees.
import type { IssuedCertificate } from '../certificates/authority';
import { createMockSmtpServer } from '../server/create-mock-smtp-server';
import type { ScenarioSecrets } from './secrets';

/** A message as the sink received it. */
export interface DeliveredMessage {
  readonly from: string | undefined;
  readonly to: readonly string[];
  /** The message after SMTP dot-unstuffing. */
  readonly raw: Buffer;
  /** The user the session authenticated as, if it did. */
  readonly user: string | undefined;
}

export interface SinkServer {
  readonly port: number;
  readonly messages: readonly DeliveredMessage[];
  close(): Promise<void>;
}

export async function startSinkServer(
  secrets: ScenarioSecrets,
  certificate: IssuedCertificate,
): Promise<SinkServer> {
  const server = await createMockSmtpServer({
    mode: 'plaintext',
    name: 'sink.strictmail.test',
    auth: {
      accept: [{ user: secrets.user, pass: secrets.password, accessToken: secrets.password }],
      required: false,
    },
    // Never smtp-server's built-in (expired) certificate, even though this server never starts TLS.
    tls: { key: certificate.privateKeyPem, cert: certificate.certificatePem, minVersion: 'TLSv1.2' },
  });
  const messages: DeliveredMessage[] = [];
  return {
    port: server.port,
    get messages() {
      messages.length = 0;
      for (const message of server.messages) {
        messages.push({
          from: message.envelope.from,
          to: message.envelope.to,
          raw: message.raw,
          user: message.user ?? undefined,
        });
      }
      return messages;
    },
    close: () => server.close(),
  };
}

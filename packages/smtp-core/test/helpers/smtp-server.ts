// A real smtp-server on 127.0.0.1, port 0, with a certificate issued for the run by the shared
// throw-away CA (never smtp-server's expired built-in one), TLS 1.2 minimum, no reverse DNS.
// It records every message (envelope and raw bytes) and can refuse chosen recipients.
import type { AddressInfo } from 'node:net';
import { issueCertificate, sharedCertificateAuthority } from '@strictmail/mock-server/certificates';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMessage {
  readonly from: string;
  readonly to: string[];
  readonly data: Buffer;
  readonly size: number;
  readonly secure: boolean;
  readonly user: string | undefined;
}

export interface TestServer {
  readonly port: number;
  readonly ca: string;
  readonly messages: ReceivedMessage[];
  readonly connections: () => number;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly secure?: boolean;
  readonly refuseRecipients?: readonly string[];
  readonly users?: Record<string, string>;
  /** Keep only the byte count of bodies (for the 50 MB test). */
  readonly countOnly?: boolean;
  readonly extra?: Partial<SMTPServerOptions>;
}

export async function startSmtpServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ca = await sharedCertificateAuthority();
  const leaf = await issueCertificate(ca, { hosts: ['localhost', '127.0.0.1'] });
  const messages: ReceivedMessage[] = [];
  let connections = 0;
  const refused = new Set(options.refuseRecipients ?? []);
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: leaf.privateKeyPem,
    cert: leaf.certificatePem,
    minVersion: 'TLSv1.2',
    disableReverseLookup: true,
    logger: false,
    authOptional: options.users === undefined,
    authMethods: ['PLAIN', 'LOGIN'],
    size: 100 * 1024 * 1024,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      const users = options.users ?? {};
      if (auth.username !== undefined && users[auth.username] === auth.password)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) {
        const error = new Error('No such user here') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (!options.countOnly) chunks.push(chunk);
      });
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          data: Buffer.concat(chunks),
          size,
          secure: session.secure,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
    ...options.extra,
  });
  // Clients under test abort handshakes on purpose; smtp-server reports those as server errors.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    ca: ca.certificatePem,
    messages,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

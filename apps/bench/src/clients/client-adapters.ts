// One small adapter per client kind, so the workloads drive every client the same way: `send` one
// message with an explicit envelope, `close` at the end. Every client verifies the server's certificate
// against the run's CA and requires STARTTLS; none is given `rejectUnauthorized: false`.
// strictmail's packages are imported by name at run time and typed here from the shared contract, so
// the bench builds and reports "not available yet" while a package is still being written.
import type { Readable } from 'node:stream';
import { StrictmailError } from '@strictmail/tls-policy';
import type { ClientSpec } from './client-specs';

export interface SendEnvelope {
  readonly from: string;
  readonly to: readonly string[];
}

export interface ClientAdapter {
  send(envelope: SendEnvelope, message: Buffer | Readable): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterTarget {
  readonly host: string;
  readonly port: number;
  readonly caPem: string;
  readonly user: string;
  readonly pass: string;
}

/** Thrown when a strictmail package (or the export the contract names) is not built yet. */
export class ClientUnavailableError extends StrictmailError<'CLIENT_UNAVAILABLE'> {
  readonly kind = 'configuration';

  constructor(message: string) {
    super('CLIENT_UNAVAILABLE', `${message}; build it (npm run build) or wait until it lands`);
  }
}

/** Messages per pooled connection before it is replaced: high enough that no run ever reaches it. */
export const MESSAGES_PER_CONNECTION = 1_000_000;

const CLIENT_NAME = 'bench-client.strictmail.test';

// Specifiers in variables: the bundler leaves these imports to run time and tsc does not resolve them.
const SMTP_CORE_NODE = '@strictmail/smtp-core/node';
const TLS_POLICY = '@strictmail/tls-policy';
const STRICTMAIL_NODEMAILER = '@strictmail/nodemailer';

interface SmtpClientContract {
  send(
    envelope: { from: string; to: string[] },
    message: Uint8Array | AsyncIterable<Uint8Array>,
  ): Promise<unknown>;
  close(): Promise<void>;
}
interface SmtpCoreNodeContract {
  createClient(options: Record<string, unknown>): SmtpClientContract;
}
interface TlsPolicyContract {
  requireStarttls(options: { ca: string | string[] }): unknown;
}
interface StrictmailNodemailerContract {
  strictmail(options: Record<string, unknown>): unknown;
}

async function importContract<T>(specifier: string, exportName: string): Promise<T> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new ClientUnavailableError(`${specifier} cannot be imported (${(error as Error).message})`);
  }
  if (typeof module[exportName] !== 'function') {
    throw new ClientUnavailableError(`${specifier} does not export ${exportName}() yet`);
  }
  return module as T;
}

type NodemailerTransporter = {
  sendMail(mail: Record<string, unknown>): Promise<unknown>;
  close(): void;
};

async function nodemailerTransport(options: unknown): Promise<NodemailerTransporter> {
  const nodemailer = await import('nodemailer');
  return nodemailer.createTransport(options as never) as unknown as NodemailerTransporter;
}

function nodemailerAdapter(transport: NodemailerTransporter): ClientAdapter {
  return {
    send: async (envelope, message) => {
      await transport.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw: message });
    },
    close: async () => transport.close(),
  };
}

/**
 * A nodemailer custom transport that reads the compiled message stream and discards it: what
 * `sendMail` costs before any transport sends a byte (plugins, MIME compilation, address parsing,
 * Message-ID, stream plumbing). No nodemailer transport can be cheaper per message than this.
 */
function mailLayerOnlyTransport() {
  return {
    name: 'mail-layer-only',
    version: '1.0.0',
    send(
      mail: { message: { createReadStream(): NodeJS.ReadableStream; messageId(): string } },
      callback: (error: Error | null, info?: unknown) => void,
    ) {
      const stream = mail.message.createReadStream();
      stream.once('error', (error: Error) => callback(error));
      stream.once('end', () => callback(null, { messageId: mail.message.messageId() }));
      stream.resume();
    },
  };
}

export async function createAdapter(client: ClientSpec, target: AdapterTarget): Promise<ClientAdapter> {
  const auth = { user: target.user, pass: target.pass };
  switch (client.kind) {
    case 'nodemailer':
      return nodemailerAdapter(
        await nodemailerTransport({
          host: target.host,
          port: target.port,
          secure: false,
          requireTLS: true,
          tls: { ca: [target.caPem], minVersion: 'TLSv1.2' },
          auth,
          name: CLIENT_NAME,
          pool: client.pool !== false,
          maxConnections: client.pool === false ? 1 : client.pool,
          maxMessages: MESSAGES_PER_CONNECTION,
        }),
      );
    case 'nodemailer-mail-layer':
      return nodemailerAdapter(await nodemailerTransport(mailLayerOnlyTransport()));
    case 'strictmail-nodemailer': {
      const { strictmail } = await importContract<StrictmailNodemailerContract>(
        STRICTMAIL_NODEMAILER,
        'strictmail',
      );
      return nodemailerAdapter(
        await nodemailerTransport(
          strictmail({
            host: target.host,
            port: target.port,
            security: 'require-starttls',
            auth,
            clientName: CLIENT_NAME,
            tls: { ca: target.caPem },
            pool:
              client.pool === false
                ? false
                : { maxConnections: client.pool, maxMessages: MESSAGES_PER_CONNECTION },
          }),
        ),
      );
    }
    case 'strictmail-core': {
      const { createClient } = await importContract<SmtpCoreNodeContract>(SMTP_CORE_NODE, 'createClient');
      const { requireStarttls } = await importContract<TlsPolicyContract>(TLS_POLICY, 'requireStarttls');
      const smtp = createClient({
        host: target.host,
        port: target.port,
        policy: requireStarttls({ ca: target.caPem }),
        auth,
        clientName: CLIENT_NAME,
        pool:
          client.pool === false
            ? false
            : { maxConnections: client.pool, maxMessages: MESSAGES_PER_CONNECTION },
      });
      return {
        send: async (envelope, message) => {
          await smtp.send({ from: envelope.from, to: [...envelope.to] }, message);
        },
        close: () => smtp.close(),
      };
    }
  }
}

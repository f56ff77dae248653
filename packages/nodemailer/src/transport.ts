// The nodemailer transport: nodemailer builds the MIME message, @strictmail/smtp-core delivers it under
// the TLS policy. It follows nodemailer's custom transport contract (lib/mailer/index.js): `name`,
// `version`, `send(mail, callback)`, `verify([callback])`, `close()`, `isIdle()`, and the `idle` and
// `error` events, which nodemailer's Mail object forwards. Rule: one client per transport, created on first
// use; a message counts as sent only when the core resolves, i.e. after the server's final positive reply
// to the data phase (invariant 8); every failure reaches the callback as a TransportError.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createClient } from '@strictmail/smtp-core/node';
import type { TlsReceipt } from '@strictmail/tls-policy';
import type { Transport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { envelopeOf, type MailLike } from './envelope';
import { TransportError, toTransportError } from './errors';
import type { StrictmailTransportOptions } from './options';
import { type ResolvedTransportOptions, resolveTransportOptions } from './resolve-options';
import { buildSentMessageInfo, type StrictmailSentMessageInfo } from './result';
import { TRANSPORT_NAME, TRANSPORT_VERSION } from './version';

type SmtpClient = ReturnType<typeof createClient>;

/** What `transport.options` shows: the resolved settings, with the AUTH user name but never the secret. */
export type TransportSettings = Omit<ResolvedTransportOptions, 'auth' | 'logger'> & {
  readonly user: string | undefined;
};

/** What `verifyConnection()` reports: the receipt of a fresh session, as `client.verify()` returns it. */
export interface ConnectionCheck {
  readonly tls: TlsReceipt | null;
  readonly capabilities: readonly string[];
  readonly authenticated: boolean;
}

export type SendCallback = (error: TransportError | null, info?: StrictmailSentMessageInfo) => void;
export type VerifyCallback = (error: TransportError | null, success?: true) => void;

/** Calls back outside any promise chain, so an exception in user code is not taken for a send failure. */
function callBack<Arguments extends unknown[]>(
  callback: (...args: Arguments) => void,
  ...args: Arguments
): void {
  process.nextTick(callback, ...args);
}

export class StrictmailTransport extends EventEmitter implements Transport<StrictmailSentMessageInfo> {
  /** Shown in nodemailer's logs as `strictmail/<version>`. */
  readonly name = TRANSPORT_NAME;
  readonly version = TRANSPORT_VERSION;
  /** `mail.data.signal` cancels a send, including one waiting for a pooled connection. */
  readonly supportsAbortSignal = true;
  /** The validated settings (host, port, policy, pool, ...), without the secret (invariant 9). */
  readonly options: TransportSettings;
  /** Set by nodemailer's Mail object. */
  mailer?: Mail<StrictmailSentMessageInfo> | undefined;

  readonly #resolved: ResolvedTransportOptions;
  #client: SmtpClient | undefined;
  #closed = false;

  /** Throws a ConfigurationError (code INSECURE_OPTION or INVALID_OPTION) for unsafe or invalid options. */
  constructor(options: StrictmailTransportOptions) {
    super();
    this.#resolved = resolveTransportOptions(options);
    const { auth, logger: _logger, ...settings } = this.#resolved;
    this.options = Object.freeze({ ...settings, user: auth?.user });
    if (this.#resolved.pool !== false) {
      // As nodemailer's pool: announce right away that messages can be taken (queue-draining loops
      // written against nodemailer start on this event).
      setImmediate(() => {
        if (this.isIdle()) this.emit('idle');
      });
    }
  }

  #clientForUse(): SmtpClient {
    if (this.#client !== undefined) return this.#client;
    const { host, port, policy, auth, clientName, timeouts, logger, pool } = this.#resolved;
    const client = createClient({
      host,
      port,
      policy,
      pool,
      ...(auth === undefined ? {} : { auth }),
      ...(clientName === undefined ? {} : { clientName }),
      ...(timeouts === undefined ? {} : { timeouts }),
      ...(logger === undefined ? {} : { logger }),
    });
    client.on('idle', () => this.emit('idle'));
    client.on('error', (error: unknown) => this.emit('error', toTransportError(error)));
    this.#client = client;
    return client;
  }

  #closedError(): TransportError {
    return new TransportError('ECONNECTION', 'The transport was closed; create a new one to send again.', {
      kind: 'connection',
      strictmailCode: 'TRANSPORT_CLOSED',
    });
  }

  /** Everything that can fail before a byte is sent; throws a TransportError. */
  #prepare(mail: MailLike): { envelope: ReturnType<typeof envelopeOf>; client: SmtpClient } {
    if (this.#closed) throw this.#closedError();
    if (mail.data.auth !== undefined && mail.data.auth !== null) {
      throw new TransportError(
        'ECONFIG',
        'Per-message auth is not supported: credentials belong to the transport, so that they are only ' +
          'ever sent on a connection whose TLS the policy has judged. Create one transport per account.',
        { kind: 'configuration', strictmailCode: 'INVALID_OPTION' },
      );
    }
    let envelope: ReturnType<typeof envelopeOf>;
    try {
      envelope = envelopeOf(mail);
    } catch (error) {
      throw toTransportError(error, { envelopePhase: true });
    }
    return { envelope, client: this.#clientForUse() };
  }

  /** nodemailer calls this for every message, after its plugins and DKIM have run. */
  send(mail: MailLike, callback: SendCallback): void {
    let prepared: { envelope: ReturnType<typeof envelopeOf>; client: SmtpClient };
    try {
      prepared = this.#prepare(mail);
    } catch (error) {
      callBack(callback, toTransportError(error));
      return;
    }
    const { envelope: built, client } = prepared;
    const messageId = mail.message.messageId();
    const stream = mail.message.createReadStream() as NodeJS.ReadableStream & {
      destroy?: (error?: Error) => void;
    };
    let streamError: unknown;
    stream.once('error', (error: unknown) => {
      streamError = error;
    });
    const signal = mail.data.signal;
    const started = performance.now();
    client
      .send(built.envelope, stream as AsyncIterable<Uint8Array>, signal === undefined ? {} : { signal })
      .then(
        (result) => {
          const info = buildSentMessageInfo(result, {
            envelope: built.reported,
            messageId,
            messageTime: Math.round(performance.now() - started),
          });
          callBack(callback, null, info);
        },
        (error: unknown) => {
          // A message the core stopped reading must not keep its sources (files, URLs) open.
          stream.destroy?.();
          callBack(callback, toTransportError(error, streamError === undefined ? {} : { streamError }));
        },
      );
  }

  /**
   * Connects, completes TLS, EHLO and AUTH, then quits. Resolves `true` (as nodemailer's transports do)
   * or rejects with a TransportError; with a callback, calls it instead and returns undefined.
   */
  verify(): Promise<true>;
  verify(callback: VerifyCallback): undefined;
  verify(callback?: VerifyCallback): Promise<true> | undefined {
    const check = this.verifyConnection().then((): true => true);
    if (callback === undefined) return check;
    check.then(
      (success) => callBack(callback, null, success),
      (error: TransportError) => callBack(callback, error),
    );
    return undefined;
  }

  /** Like `verify()`, but resolves with the TLS receipt, the server's capabilities and the AUTH outcome. */
  async verifyConnection(): Promise<ConnectionCheck> {
    if (this.#closed) throw this.#closedError();
    try {
      return await this.#clientForUse().verify();
    } catch (error) {
      throw toTransportError(error);
    }
  }

  /** Whether a message handed over now would be sent without waiting for a connection to free up. */
  isIdle(): boolean {
    if (this.#closed) return false;
    return this.#client === undefined ? true : this.#client.isIdle();
  }

  /**
   * Closes every connection (QUIT where possible) and refuses further sends. Resolves when no socket or
   * timer is left. It never rejects: nodemailer code calls `transporter.close()` without awaiting it, so
   * a failure while closing is logged (as a warning) rather than turned into an unhandled rejection.
   */
  close(callback?: () => void): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    const closing = client === undefined ? Promise.resolve() : client.close();
    const done = closing.then(
      () => {
        this.emit('close');
      },
      (error: unknown) => {
        const mapped = toTransportError(error);
        this.#resolved.logger?.warn({ err: mapped, code: mapped.strictmailCode }, 'strictmail: close failed');
        this.emit('close');
      },
    );
    if (callback !== undefined) void done.then(() => callBack(callback));
    return done;
  }
}

// A scripted server for the sans-I/O core: feed it text, read back what the client wrote and the events
// it produced. Time is a number the test moves by hand (the core has no clock).
import {
  dangerousPlaintext,
  implicitTls,
  requireStarttls,
  type TlsPolicy,
  type TlsReceipt,
} from '@strictmail/tls-policy';
import {
  type ClientCommand,
  ClientConnection,
  type ClientConnectionOptions,
  type ClientEvent,
  NEED_DATA,
} from '../../src/index';

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();

/** A receipt as `judgeTlsSocket` would return for a verified session. */
export const verifiedReceipt: TlsReceipt = {
  entry: 'starttls',
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  serverName: 'mail.example.com',
  chainVerified: true,
  hostnameVerified: true,
  leafSpkiSha256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  subject: 'CN=mail.example.com',
  issuer: 'CN=Test CA',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  decidedBy: 'pkix',
  resumed: false,
};

export const policies: Record<string, TlsPolicy> = {
  starttls: requireStarttls(),
  implicit: implicitTls(),
  plaintext: dangerousPlaintext(),
};

export const EHLO_PLAIN_STARTTLS =
  '250-mail.example.com\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n';

export class Harness {
  readonly connection: ClientConnection;
  readonly events: ClientEvent[] = [];
  /** Everything the client wrote, in order. */
  written = '';
  time = 1_000;

  constructor(options: Partial<ClientConnectionOptions> = {}) {
    this.connection = new ClientConnection({
      clientName: 'client.example',
      policy: policies.starttls as TlsPolicy,
      now: () => this.time,
      ...options,
    });
    this.#collect();
  }

  /** Feeds server bytes, collects events and output; returns the events produced by this feed. */
  feed(text: string | Uint8Array): ClientEvent[] {
    const bytes = typeof text === 'string' ? encoder.encode(text) : text;
    // An empty array means EOF to the core; a test split that yields nothing feeds nothing.
    if (bytes.length > 0) this.connection.receiveData(bytes);
    return this.#collect();
  }

  /** The server closed the connection. */
  eof(): ClientEvent[] {
    this.connection.receiveData(new Uint8Array(0));
    return this.#collect();
  }

  send(command: ClientCommand): string {
    const text = decoder.decode(this.connection.send(command));
    this.written += text;
    this.#collect();
    return text;
  }

  tls(receipt: TlsReceipt = verifiedReceipt): ClientEvent[] {
    this.connection.tlsEstablished(receipt);
    return this.#collect();
  }

  /** Takes what the client wrote since the last call. */
  take(): string {
    const text = this.written;
    this.written = '';
    return text;
  }

  last(): ClientEvent | undefined {
    return this.events.at(-1);
  }

  failure(): Extract<ClientEvent, { type: 'connection-fail' }> | undefined {
    return this.events.find((event) => event.type === 'connection-fail') as
      | Extract<ClientEvent, { type: 'connection-fail' }>
      | undefined;
  }

  #collect(): ClientEvent[] {
    const produced: ClientEvent[] = [];
    for (let guard = 0; guard < 10_000; guard++) {
      const event = this.connection.nextEvent();
      if (event === NEED_DATA) break;
      produced.push(event);
      if (event.type === 'connection-fail' || event.type === 'connection-close') break;
    }
    this.events.push(...produced);
    this.written += decoder.decode(this.connection.pollTransmit());
    return produced;
  }
}

/** A session over STARTTLS up to `session-ready`, with the given post-TLS EHLO extensions. */
export function readySession(
  extensions: readonly string[],
  options: Partial<ClientConnectionOptions> = {},
): Harness {
  const harness = new Harness(options);
  harness.feed('220 mail.example.com ESMTP\r\n');
  harness.feed(EHLO_PLAIN_STARTTLS);
  harness.feed('220 2.0.0 Ready to start TLS\r\n');
  harness.tls();
  harness.feed(ehloReply(extensions));
  harness.take();
  return harness;
}

export function ehloReply(extensions: readonly string[]): string {
  const lines = ['mail.example.com', ...extensions];
  return lines.map((line, index) => `250${index === lines.length - 1 ? ' ' : '-'}${line}\r\n`).join('');
}

/** Every way to cut `bytes` in two, for "split at every byte boundary" tests. */
export function* splits(bytes: Uint8Array): Generator<[Uint8Array, Uint8Array]> {
  for (let index = 0; index <= bytes.length; index++) yield [bytes.subarray(0, index), bytes.subarray(index)];
}

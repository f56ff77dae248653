// The fast STARTTLS sink: a plain TCP listener on 127.0.0.1:0 that speaks just enough SMTP (see
// sink-session.ts) and upgrades to TLS 1.3 in place on STARTTLS. It writes each batch of replies with
// one call and discards bodies, so one core of it outruns any client under test.
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import type { Sink } from './sink';
import { type SinkCounters, SinkSession } from './sink-session';

export interface FastSinkOptions {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly user: string;
  readonly pass: string;
  /** Advertise CHUNKING (default true). `false` measures the DATA path on the same server. */
  readonly chunking?: boolean;
}

export async function startFastSink(options: FastSinkOptions): Promise<Sink> {
  const chunking = options.chunking ?? true;
  const secureContext = createSecureContext({
    key: options.privateKeyPem,
    cert: options.certificatePem,
    minVersion: 'TLSv1.3',
  });
  const totals: SinkCounters = { messages: 0, recipients: 0, bodyBytes: 0 };
  const sessions = new Set<SinkSession>();
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    const session = new SinkSession({ hostname: 'sink.strictmail.test', chunking, ...credentials(options) });
    sessions.add(session);
    const finish = () => {
      if (!sessions.delete(session)) return;
      totals.messages += session.counters.messages;
      totals.recipients += session.counters.recipients;
      totals.bodyBytes += session.counters.bodyBytes;
      sockets.delete(socket);
    };
    socket.on('close', finish);
    socket.on('error', () => socket.destroy());
    serve(socket, session, secureContext);
  });
  await listen(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fast sink: no TCP address');
  return {
    name: chunking ? 'fast' : 'fast-data',
    description: chunking
      ? 'own sink: STARTTLS to TLS 1.3, PIPELINING, CHUNKING, 8BITMIME, SMTPUTF8, AUTH PLAIN LOGIN'
      : 'own sink without CHUNKING: same server, DATA path only',
    host: '127.0.0.1',
    port: address.port,
    counters: () => {
      const current = { ...totals };
      for (const session of sessions) {
        current.messages += session.counters.messages;
        current.recipients += session.counters.recipients;
        current.bodyBytes += session.counters.bodyBytes;
      }
      return current;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function credentials(options: FastSinkOptions): { user: string; pass: string } {
  return { user: options.user, pass: options.pass };
}

function serve(socket: Socket, session: SinkSession, secureContext: SecureContext): void {
  socket.write(session.greeting());
  const onPlainData = (chunk: Buffer) => {
    const output = session.receive(chunk);
    if (output.replies.length > 0) socket.write(output.replies);
    if (output.action === 'close') socket.end();
    if (output.action !== 'starttls') return;
    // The client sends its ClientHello only after reading the 220, so nothing is lost in between;
    // the TLS socket takes over the same handle and its reads.
    socket.removeListener('data', onPlainData);
    const secure = new TLSSocket(socket, { isServer: true, secureContext });
    // Decrypted bytes can only follow the handshake, so the session may forget the plaintext now.
    session.tlsStarted();
    secure.on('error', () => socket.destroy());
    secure.on('data', (data: Buffer) => {
      const tlsOutput = session.receive(data);
      if (tlsOutput.replies.length > 0) secure.write(tlsOutput.replies);
      if (tlsOutput.action === 'close') secure.end();
    });
  };
  socket.on('data', onPlainData);
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

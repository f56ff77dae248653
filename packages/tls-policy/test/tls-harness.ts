// Test harness: real TLS servers on 127.0.0.1 port 0 presenting a chosen defect, and a client that
// does exactly what a strictmail driver does (tlsConnectOptions -> tls.connect -> diagnoseHandshakeError
// on error, judgeTlsSocket on secureConnect). `loosen` spreads caller options over the policy's, to
// prove the judge holds even when a caller weakens the connection. Every server and socket is closed.
import { once } from 'node:events';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket,
  type Server as TcpServer,
} from 'node:net';
import { type ConnectionOptions, connect, createServer, type TLSSocket, type TlsOptions } from 'node:tls';
import type { TlsPolicy, TlsReceipt } from '../src/index';
import { diagnoseHandshakeError, judgeTlsSocket, tlsConnectOptions } from '../src/node';

export interface TestServer {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: TcpServer, sockets: Set<Socket>): Promise<TestServer> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A TLS server that completes handshakes and then holds the connection open until the client leaves. */
export function startTlsServer(options: TlsOptions): Promise<TestServer> {
  const server = createServer(options, (socket) => socket.on('error', () => {}));
  // The client aborting a handshake is the expected outcome of most tests, not a failure.
  server.on('tlsClientError', () => {});
  return listen(server, new Set());
}

/** A plain TCP server that greets like SMTP on a STARTTLS port: "220 ..." in plaintext. */
export function startPlaintextGreetingServer(): Promise<TestServer> {
  const server = createTcpServer((socket) => {
    socket.on('error', () => {});
    socket.write('220 mail.example.test ESMTP ready\r\n');
  });
  return listen(server, new Set());
}

export interface ConnectOptions {
  /** The name the client dials and checks (the TCP connection always goes to 127.0.0.1). */
  readonly host?: string;
  /** Caller options spread over the policy's, as a careless caller might. */
  readonly loosen?: ConnectionOptions;
  /** Keys to delete from the policy's options (e.g. `rejectUnauthorized`). */
  readonly drop?: readonly (keyof ConnectionOptions)[];
  readonly session?: Buffer;
  readonly resumedFrom?: TlsReceipt;
  readonly trustSource?: 'mta-sts';
}

export interface Judged {
  readonly receipt: TlsReceipt;
  readonly session: Buffer | undefined;
}

/** Connects, handshakes and judges like a driver. Resolves with the receipt or rejects with SecurityError. */
export async function connectAndJudge(
  policy: TlsPolicy,
  server: TestServer,
  options: ConnectOptions = {},
): Promise<Judged> {
  const host = options.host ?? '127.0.0.1';
  const connectOptions: ConnectionOptions = {
    ...tlsConnectOptions(policy, { host, entry: 'implicit-tls', session: options.session }),
    ...options.loosen,
    host: '127.0.0.1',
    port: server.port,
  };
  for (const key of options.drop ?? []) delete connectOptions[key];
  const socket: TLSSocket = connect(connectOptions);
  let session: Buffer | undefined;
  socket.on('session', (ticket: Buffer) => {
    session = ticket;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    socket.destroy();
    throw diagnoseHandshakeError(error, { policy, host, port: server.port });
  }
  try {
    const receipt = judgeTlsSocket(socket, policy, {
      host,
      entry: 'implicit-tls',
      resumedFrom: options.resumedFrom,
      trustSource: options.trustSource,
    });
    if (receipt.protocol === 'TLSv1.3' && !receipt.resumed && session === undefined) {
      // TLS 1.3 tickets arrive after the handshake; wait for one only when the session was accepted.
      await Promise.race([once(socket, 'session'), once(socket, 'close')]);
    }
    return { receipt, session: session ?? socket.getSession() };
  } finally {
    socket.destroy();
  }
}

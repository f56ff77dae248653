// The man in the middle: a listener on 127.0.0.1 port 0 that relays each client connection to the sink
// server and plays one AttackPlan on the way. It answers STARTTLS itself (with any code, or 220 plus
// injected bytes in the same write), terminates TLS itself (with the plan's certificate and profile),
// rewrites EHLO capability lists, and refuses EHLO. It records every byte in a ConnectionRecord.
// It understands just enough SMTP to do that: command lines, which reply answers which command (a FIFO,
// so pipelining works), and the data phase (so body lines are never read as commands).
import { EventEmitter } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { EndpointTls } from './endpoint-tls';
import { rewriteEhloReply, takeReplies } from './reply-framing';
import type { AttackPlan, ForgedReply, SecurityMode } from './scenario-types';
import type { UpstreamDialer } from './upstream-dialer';
import {
  type ConnectionRecord,
  createConnectionRecord,
  recordClientBytes,
  recordServerBytes,
  type WirePhase,
} from './wire-record';

/** A client line longer than this (64 KiB) without LF is relayed as is instead of buffered further. */
export const MAX_CLIENT_LINE_BYTES = 65_536;

const REFUSE_EHLO_REPLY = '502 5.5.2 Error: command not recognized\r\n';
const DEFAULT_STARTTLS_REFUSAL: ForgedReply = { code: 502, text: '5.5.1 Command not implemented' };
const STARTTLS_GO_AHEAD = '220 2.0.0 Ready to start TLS\r\n';
const ALREADY_TLS_REPLY = '503 5.5.1 Error: TLS already active\r\n';

type PendingReply =
  | { readonly kind: 'relayed'; readonly verb: string }
  | { readonly kind: 'local'; readonly text: string; readonly after?: () => void };

export interface AttackEndpoint {
  readonly host: string;
  readonly port: number;
  readonly connections: readonly ConnectionRecord[];
  /** Resolves when every connection so far has closed, or after `timeoutMs`, whichever comes first. */
  settled(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface AttackEndpointOptions {
  readonly plan: AttackPlan;
  readonly mode: SecurityMode;
  readonly tls: EndpointTls;
  readonly upstream: UpstreamDialer;
  /** Default 0 (the OS picks a free port). Tests always use 0; a fixed port is for the CLI's `serve`. */
  readonly port?: number;
}

export async function startAttackEndpoint(options: AttackEndpointOptions): Promise<AttackEndpoint> {
  const connections: ConnectionRecord[] = [];
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  const server = createServer((socket) => {
    sockets.add(socket);
    const record = createConnectionRecord(connections.length, options.mode);
    connections.push(record);
    socket.once('close', () => {
      sockets.delete(socket);
      record.closed = true;
      events.emit('closed');
    });
    relay(socket, record, options);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    connections,
    async settled(timeoutMs) {
      if (connections.every((record) => record.closed)) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function check() {
          if (connections.every((record) => record.closed)) done();
        }
        function done() {
          clearTimeout(timer);
          events.off('closed', check);
          resolve();
        }
        events.on('closed', check);
      });
    },
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closing;
    },
  };
}

function relay(raw: Socket, record: ConnectionRecord, options: AttackEndpointOptions): void {
  const { plan, mode } = options;
  let phase: WirePhase = 'plaintext';
  let client: Socket = raw;
  let lineBuffer = Buffer.alloc(0);
  let upgrading = false;
  let dataMode = false;
  let previousLineEndedWithCrlf = true;
  let replyBuffer = '';
  let upstream: Socket | undefined;
  const toUpstream: Buffer[] = [];
  const pending: PendingReply[] = [];
  let finished = false;

  const finish = () => {
    if (finished) return;
    finished = true;
    client.destroy();
    raw.destroy();
    upstream?.destroy();
  };

  // Server bytes wait while a handshake runs: writing application data into a TLS socket mid-handshake
  // turns a handshake failure into a write error, and the client then sees a bare disconnect instead of
  // the alert that says why (protocol version, no shared cipher).
  let handshaking = false;
  const heldBack: Buffer[] = [];
  const writeToClient = (text: string) => {
    if (finished || client.destroyed) return;
    const bytes = Buffer.from(text, 'latin1');
    recordServerBytes(record, phase, bytes);
    if (handshaking) heldBack.push(bytes);
    else client.write(bytes);
  };

  const sendUpstream = (bytes: Buffer) => {
    if (upstream === undefined) toUpstream.push(bytes);
    else upstream.write(bytes);
  };

  const drainLocalReplies = () => {
    while (pending[0]?.kind === 'local') {
      const entry = pending.shift() as Extract<PendingReply, { kind: 'local' }>;
      writeToClient(entry.text);
      entry.after?.();
    }
  };

  const startTls = (socket: Socket) => {
    const secure = new TLSSocket(socket, { isServer: true, secureContext: options.tls.secureContext });
    client = secure;
    phase = 'tls';
    handshaking = true;
    secure.on('secure', () => {
      const cipher = secure.getCipher();
      record.tls = { state: 'established', protocol: secure.getProtocol() ?? 'unknown', cipher: cipher.name };
      handshaking = false;
      for (const bytes of heldBack.splice(0)) secure.write(bytes);
    });
    secure.on('data', onClientData);
    secure.on('error', (error: Error) => {
      record.tls ??= { state: 'failed', error: error.message };
      // Node destroys the TLS socket itself after an error, once OpenSSL's alert is written; destroying
      // it here first could drop the alert, and the client would see a bare disconnect instead of why.
      upstream?.destroy();
    });
    secure.on('close', finish);
  };

  // RFC 3207 §4: after 220 the client starts the handshake. The raw socket is paused and stripped of our
  // listener before the reply is even queued, so the ClientHello is read by the TLS layer, not by us.
  const upgradeAfterGoAhead = () => {
    upgrading = false;
    lineBuffer = Buffer.alloc(0);
    startTls(raw);
  };

  const onStarttls = () => {
    if (phase === 'tls') {
      pending.push({ kind: 'local', text: ALREADY_TLS_REPLY });
      return;
    }
    const offered = plan.advertiseStarttls !== false && plan.refuseEhlo !== true;
    if (offered && plan.starttlsReply === undefined) {
      upgrading = true;
      raw.off('data', onClientData);
      raw.pause();
      pending.push({
        kind: 'local',
        text: STARTTLS_GO_AHEAD + (plan.injectAfterStarttls ?? ''),
        after: upgradeAfterGoAhead,
      });
      return;
    }
    const reply = plan.starttlsReply ?? DEFAULT_STARTTLS_REFUSAL;
    pending.push({
      kind: 'local',
      text: `${reply.code} ${reply.text}\r\n`,
      ...(reply.close === true ? { after: () => raw.end(() => finish()) } : {}),
    });
  };

  const onClientLine = (line: Buffer) => {
    if (dataMode) {
      sendUpstream(line);
      const text = line.toString('latin1');
      // The end of data is CRLF.CRLF only (RFC 5321 §4.1.1.4), exactly as the sink reads it.
      if (text === '.\r\n' && previousLineEndedWithCrlf) {
        dataMode = false;
        pending.push({ kind: 'relayed', verb: 'END-OF-DATA' });
      }
      previousLineEndedWithCrlf = text.endsWith('\r\n');
      return;
    }
    const verb = (line.toString('latin1').trim().split(/\s+/)[0] ?? '').toUpperCase();
    if (verb === 'STARTTLS') {
      onStarttls();
    } else if (verb === 'EHLO' && phase === 'plaintext' && plan.refuseEhlo === true) {
      pending.push({ kind: 'local', text: REFUSE_EHLO_REPLY });
    } else {
      sendUpstream(line);
      pending.push({ kind: 'relayed', verb });
    }
  };

  function onClientData(chunk: Buffer) {
    recordClientBytes(record, phase, chunk);
    // Bytes after STARTTLS and before the handshake are recorded (they crossed the wire in plaintext)
    // but never relayed: RFC 3207 §4 forbids them.
    if (upgrading) return;
    lineBuffer = Buffer.concat([lineBuffer, chunk]);
    for (;;) {
      if (upgrading) {
        lineBuffer = Buffer.alloc(0);
        break;
      }
      const newline = lineBuffer.indexOf(0x0a);
      if (newline === -1) {
        if (lineBuffer.length > MAX_CLIENT_LINE_BYTES) {
          sendUpstream(lineBuffer);
          lineBuffer = Buffer.alloc(0);
        }
        break;
      }
      const line = lineBuffer.subarray(0, newline + 1);
      lineBuffer = lineBuffer.subarray(newline + 1);
      onClientLine(line);
    }
    drainLocalReplies();
  }

  const onUpstreamData = (chunk: Buffer) => {
    replyBuffer += chunk.toString('latin1');
    const { replies, rest } = takeReplies(replyBuffer);
    replyBuffer = rest;
    for (const reply of replies) {
      const entry = pending.shift();
      let text = reply.raw;
      if (entry?.kind === 'relayed' && entry.verb === 'EHLO') {
        text = rewriteEhloReply(reply, {
          starttls: phase === 'plaintext' && mode === 'starttls' && plan.advertiseStarttls !== false,
          auth: phase === 'plaintext' ? plan.authBeforeTls === true : plan.authAfterTls !== false,
        });
      }
      if (entry?.kind === 'relayed' && entry.verb === 'DATA' && reply.code === 354) {
        dataMode = true;
        previousLineEndedWithCrlf = true;
        record.dataStarts.push(record.clientBytes);
      }
      writeToClient(text);
      drainLocalReplies();
    }
  };

  raw.on('error', finish);
  if (mode === 'implicit') startTls(raw);
  else {
    raw.on('data', onClientData);
    raw.on('close', finish);
  }

  options.upstream.take().then(
    (connection) => {
      if (finished) {
        connection.socket.destroy();
        return;
      }
      upstream = connection.socket;
      upstream.on('data', onUpstreamData);
      upstream.on('error', finish);
      upstream.on('close', () => {
        if (!finished) client.end();
      });
      upstream.resume();
      writeToClient(connection.greeting.toString('latin1'));
      for (const bytes of toUpstream.splice(0)) upstream.write(bytes);
    },
    () => finish(),
  );
}

// A tiny scripted SMTP server over real TLS (STARTTLS or implicit), for what smtp-server cannot do:
// CHUNKING/BDAT (RFC 3030) and man-in-the-middle misbehaviour after the 220 to STARTTLS. It answers
// each read with one write, so `flushes` counts the server's answer batches (about the round trips).
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { issueCertificate, sharedCertificateAuthority } from '@strictmail/mock-server/certificates';

export interface ScriptedMessage {
  readonly from: string;
  readonly to: string[];
  readonly data: Buffer;
}

export interface ScriptedServerOptions {
  readonly mode: 'starttls' | 'implicit';
  /** EHLO keywords offered over TLS (STARTTLS is added before TLS in starttls mode). */
  readonly extensions: readonly string[];
  /** Bytes sent right after the 220 to STARTTLS, in the same write (an injection attack). */
  readonly injectAfterStarttls?: string;
  /** Recipients refused with 550. */
  readonly refuse?: readonly string[];
  /** The first connection is cut when its first DATA command arrives (a server crash mid-transaction). */
  readonly cutFirstConnectionAtData?: boolean;
  /** `false` plays a MITM that strips STARTTLS from the EHLO reply. */
  readonly offerStarttls?: boolean;
}

export interface ScriptedServer {
  readonly port: number;
  readonly ca: string;
  readonly messages: ScriptedMessage[];
  /** Every command line received, per connection, with whether it arrived over TLS. */
  readonly commands: { line: string; secure: boolean }[];
  flushes: number;
  close(): Promise<void>;
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const ca = await sharedCertificateAuthority();
  const leaf = await issueCertificate(ca, { hosts: ['localhost', '127.0.0.1'] });
  const secureContext = tls.createSecureContext({
    key: leaf.privateKeyPem,
    cert: leaf.certificatePem,
    minVersion: 'TLSv1.2',
  });
  const sockets = new Set<net.Socket>();
  let cutDone = false;
  const state: ScriptedServer = {
    port: 0,
    ca: ca.certificatePem,
    messages: [],
    commands: [],
    flushes: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function serve(socket: net.Socket, secure: boolean, greet: boolean): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    let bdatRemaining = 0;
    let bdatLast = false;
    let inData = false;
    let from = '';
    let to: string[] = [];
    let body: Buffer[] = [];
    const reset = () => {
      from = '';
      to = [];
      body = [];
    };
    if (greet) socket.write('220 scripted.example ESMTP\r\n');
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      let out = '';
      for (;;) {
        if (bdatRemaining > 0) {
          const take = Math.min(bdatRemaining, buffer.length);
          if (take === 0) break;
          body.push(buffer.subarray(0, take));
          buffer = buffer.subarray(take);
          bdatRemaining -= take;
          if (bdatRemaining > 0) break;
          out += finishChunk();
          continue;
        }
        const end = buffer.indexOf('\r\n');
        if (end < 0) break;
        const line = buffer.subarray(0, end).toString('latin1');
        buffer = buffer.subarray(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            state.messages.push({ from, to, data: Buffer.concat(body) });
            reset();
            out += '250 2.0.0 queued\r\n';
          } else {
            body.push(Buffer.from(`${line.startsWith('.') ? line.slice(1) : line}\r\n`, 'latin1'));
          }
          continue;
        }
        state.commands.push({ line, secure });
        const verb = line.split(' ')[0]?.toUpperCase() ?? '';
        if (verb === 'EHLO') {
          const keywords = secure
            ? options.extensions
            : [...options.extensions, ...(options.offerStarttls === false ? [] : ['STARTTLS'])];
          const lines = ['scripted.example', ...keywords];
          out += lines
            .map((text, index) => `250${index === lines.length - 1 ? ' ' : '-'}${text}\r\n`)
            .join('');
        } else if (verb === 'STARTTLS' && !secure) {
          socket.write(`220 2.0.0 Ready\r\n${options.injectAfterStarttls ?? ''}`);
          socket.off('data', onData);
          const upgraded = new tls.TLSSocket(socket, { isServer: true, secureContext });
          upgraded.on('secure', () => serve(upgraded, true, false));
          upgraded.on('error', () => {});
          return;
        } else if (verb === 'MAIL') {
          reset();
          from = /<(.*?)>/.exec(line)?.[1] ?? '';
          out += '250 2.1.0 ok\r\n';
        } else if (verb === 'RCPT') {
          const address = /<(.*?)>/.exec(line)?.[1] ?? '';
          if (options.refuse?.includes(address)) out += '550 5.1.1 no such user\r\n';
          else {
            to.push(address);
            out += '250 2.1.5 ok\r\n';
          }
        } else if (verb === 'DATA' && options.cutFirstConnectionAtData === true && !cutDone) {
          cutDone = true;
          socket.destroy();
          return;
        } else if (verb === 'DATA') {
          if (to.length === 0) out += '554 5.5.1 no valid recipients\r\n';
          else {
            inData = true;
            out += '354 go ahead\r\n';
          }
        } else if (verb === 'BDAT') {
          const [, size, last] = line.split(' ');
          bdatRemaining = Number(size);
          bdatLast = last === 'LAST';
          if (bdatRemaining === 0) out += finishChunk();
        } else if (verb === 'RSET') {
          reset();
          out += '250 2.0.0 reset\r\n';
        } else if (verb === 'QUIT') {
          out += '221 2.0.0 bye\r\n';
          socket.end(out);
          return;
        } else {
          out += '502 5.5.2 unknown command\r\n';
        }
      }
      if (out !== '') {
        state.flushes += 1;
        socket.write(out);
      }
    };
    function finishChunk(): string {
      if (!bdatLast) return '250 2.0.0 chunk ok\r\n';
      if (to.length === 0) {
        reset();
        return '554 5.5.1 no valid recipients\r\n';
      }
      state.messages.push({ from, to, data: Buffer.concat(body) });
      reset();
      return '250 2.0.0 queued\r\n';
    }
    socket.on('data', onData);
  }

  const server =
    options.mode === 'implicit'
      ? tls.createServer(
          { key: leaf.privateKeyPem, cert: leaf.certificatePem, minVersion: 'TLSv1.2' },
          (socket) => serve(socket, true, true),
        )
      : net.createServer((socket) => serve(socket, false, true));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { port: (server.address() as AddressInfo).port });
}

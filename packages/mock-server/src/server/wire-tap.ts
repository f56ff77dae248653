// Records a socket's bytes before smtp-server parses them and after it writes them. The tap is a
// 'data' listener attached before smtp-server pipes the socket into its parser (so listeners run in
// wire order: recorder first, parser second) and a wrapper around `write`. On a STARTTLS connection
// the raw socket is tapped as the plaintext phase and the TLS socket, once the handshake is done, as
// the encrypted phase (decrypted application bytes); bytes a client pipelines after STARTTLS in the
// same packet are therefore recorded as plaintext, which is what they were on the wire.
import type { Duplex } from 'node:stream';
import type { Phase, SessionRecorder } from './session';

type WriteArguments = [chunk: unknown, encodingOrCallback?: unknown, callback?: unknown];

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

/** Starts recording `socket` into `recorder` as `phase`. A socket already recorded is left alone. */
export function tapSocket(socket: Duplex, phase: Phase, recorder: SessionRecorder): void {
  if (!recorder.claimSocket(socket)) return;
  socket.on('data', (chunk: Buffer) => recorder.recordBytes('client-to-server', phase, Buffer.from(chunk)));
  const write = socket.write;
  socket.write = function recordedWrite(this: Duplex, ...args: WriteArguments): boolean {
    recorder.recordBytes('server-to-client', phase, Buffer.from(toBuffer(args[0], args[1])));
    return (write as (...a: WriteArguments) => boolean).apply(this, args);
  } as Duplex['write'];
}

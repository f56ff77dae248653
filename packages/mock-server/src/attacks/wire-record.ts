// What one client connection did, byte for byte, as the attack endpoint saw it. Every byte the client
// sends is kept with the phase it arrived in (before TLS, or inside TLS), bounded so that a runaway
// client cannot exhaust memory; the leak detector and the smuggling probe read only this record.

/** A wire record keeps at most this many bytes per direction per connection (1 MiB: far above any
 * audit message, far below a memory problem); further bytes are counted but not stored. */
export const MAX_RECORDED_BYTES_PER_DIRECTION = 1_048_576;

export type WirePhase = 'plaintext' | 'tls';

export interface WireChunk {
  readonly phase: WirePhase;
  readonly data: Buffer;
}

export interface TlsOutcome {
  readonly state: 'established' | 'failed';
  readonly protocol?: string;
  readonly cipher?: string;
  /** The server-side error when the handshake failed (usually the alert the client sent). */
  readonly error?: string;
}

export interface ConnectionRecord {
  readonly index: number;
  readonly mode: 'starttls' | 'implicit';
  readonly clientChunks: WireChunk[];
  readonly serverChunks: WireChunk[];
  /** Offsets into the concatenated client stream where a data phase starts (just after `DATA\r\n`'s 354). */
  readonly dataStarts: number[];
  clientBytes: number;
  serverBytes: number;
  tls: TlsOutcome | undefined;
  closed: boolean;
}

export function createConnectionRecord(index: number, mode: 'starttls' | 'implicit'): ConnectionRecord {
  return {
    index,
    mode,
    clientChunks: [],
    serverChunks: [],
    dataStarts: [],
    clientBytes: 0,
    serverBytes: 0,
    tls: undefined,
    closed: false,
  };
}

function stored(chunks: readonly WireChunk[]): number {
  return chunks.reduce((total, chunk) => total + chunk.data.length, 0);
}

export function recordClientBytes(record: ConnectionRecord, phase: WirePhase, data: Buffer): void {
  record.clientBytes += data.length;
  const room = MAX_RECORDED_BYTES_PER_DIRECTION - stored(record.clientChunks);
  if (room > 0) record.clientChunks.push({ phase, data: Buffer.from(data.subarray(0, room)) });
}

export function recordServerBytes(record: ConnectionRecord, phase: WirePhase, data: Buffer): void {
  record.serverBytes += data.length;
  const room = MAX_RECORDED_BYTES_PER_DIRECTION - stored(record.serverChunks);
  if (room > 0) record.serverChunks.push({ phase, data: Buffer.from(data.subarray(0, room)) });
}

/** The client's bytes of one phase, concatenated. */
export function clientBytesIn(record: ConnectionRecord, phase: WirePhase): Buffer {
  return Buffer.concat(
    record.clientChunks.filter((chunk) => chunk.phase === phase).map((chunk) => chunk.data),
  );
}

/** All the client's bytes, in order, both phases. */
export function clientStream(record: ConnectionRecord): Buffer {
  return Buffer.concat(record.clientChunks.map((chunk) => chunk.data));
}

// Turns what `send()` accepts (bytes, a string, or any async iterable such as a Node Readable) into
// chunks for the core. Rule: a stream is never collected whole; it is pulled one chunk at a time and
// the next chunk is read only after the socket accepted the previous one (backpressure).
export type MessageInput = Uint8Array | string | AsyncIterable<Uint8Array | string>;

export interface PreparedBody {
  /** The whole body when it was given as bytes or a string. */
  readonly whole: Uint8Array | null;
  readonly stream: AsyncIterable<Uint8Array | string> | null;
  /** The size estimate for SIZE= (RFC 1870 §3: an estimate is allowed), when known. */
  readonly size: number | undefined;
}

const encoder = new TextEncoder();

export function prepareBody(message: MessageInput): PreparedBody {
  if (typeof message === 'string') return fromBytes(encoder.encode(message));
  if (message instanceof Uint8Array) return fromBytes(message);
  if (message !== null && typeof message === 'object' && Symbol.asyncIterator in message) {
    return { whole: null, stream: message, size: undefined };
  }
  throw new TypeError(
    'The message must be a Uint8Array, a string or an AsyncIterable of them (e.g. a Readable).',
  );
}

function fromBytes(bytes: Uint8Array): PreparedBody {
  return { whole: bytes, stream: null, size: bytes.length };
}

export function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

// A TCP proxy on 127.0.0.1:0 that forwards client-to-server bytes at once and holds every
// server-to-client chunk for a fixed delay, in order. Each time a client must wait for a reply before
// it can go on, it pays the delay once; the extra wall time divided by the delay is therefore the
// number of round trips the client waited for (see round-trips.ts). TLS passes through untouched.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface DelayProxy {
  readonly port: number;
  /** The delay asked for, in milliseconds. */
  readonly delayMs: number;
  /** Mean delay actually applied to held chunks so far (timers fire late by a little), in milliseconds. */
  appliedDelayMs(): number;
  close(): Promise<void>;
}

interface HeldChunk {
  readonly due: number;
  readonly arrived: number;
  readonly data: Buffer;
}

export async function startDelayProxy(
  target: { host: string; port: number },
  delayMs: number,
): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  let appliedTotal = 0;
  let appliedCount = 0;
  // Half-open on both legs: an end from one side is forwarded as an end, and the other side may still
  // answer (a 221 after the client's FIN reaches the client instead of being cut off).
  const server: Server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    const upstream = createConnection({
      host: target.host,
      port: target.port,
      noDelay: true,
      allowHalfOpen: true,
    });
    sockets.add(client);
    sockets.add(upstream);
    const held: HeldChunk[] = [];
    let timer: NodeJS.Timeout | undefined;
    const release = () => {
      timer = undefined;
      const now = performance.now();
      // Chunks due within the next half millisecond go now: a timer cannot be more precise than that.
      while (held.length > 0 && held[0]!.due <= now + 0.5) {
        const chunk = held.shift()!;
        appliedTotal += now - chunk.arrived;
        appliedCount += 1;
        client.write(chunk.data);
      }
      if (held.length > 0) timer = setTimeout(release, held[0]!.due - now);
      else if (upstream.isPaused() && !upstream.destroyed) upstream.resume();
    };
    client.on('data', (data: Buffer) => {
      if (!upstream.write(data)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (data: Buffer) => {
      if (delayMs === 0) {
        if (!client.write(data)) upstream.pause();
        return;
      }
      const now = performance.now();
      held.push({ due: now + delayMs, arrived: now, data });
      // Bounded: a slow client must not make the proxy buffer a whole 50 MB body.
      if (held.length > MAX_HELD_CHUNKS) upstream.pause();
      if (timer === undefined) timer = setTimeout(release, delayMs);
    });
    client.on('drain', () => {
      if (delayMs === 0) upstream.resume();
    });
    const closeBoth = () => {
      if (timer !== undefined) clearTimeout(timer);
      held.length = 0;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // A clean end from the server is forwarded after the held bytes, so a late 221 is not cut off.
    upstream.on('end', () => {
      const finish = () => {
        if (client.destroyed) return;
        if (held.length === 0) client.end();
        else setTimeout(finish, delayMs);
      };
      finish();
    });
    client.on('end', () => upstream.end());
    client.on('close', closeBoth);
    upstream.on('close', () => {
      if (held.length === 0) closeBoth();
    });
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('delay proxy: no TCP address');
  return {
    port: address.port,
    delayMs,
    appliedDelayMs: () => (appliedCount === 0 ? delayMs : appliedTotal / appliedCount),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Held chunks before the proxy stops reading from the server (each is at most one 64 KiB read). */
const MAX_HELD_CHUNKS = 256;

// The delay proxy forwards both directions in order and leaves nothing running once closed. Real
// sockets on 127.0.0.1 port 0; no assertion depends on how long anything took.
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DelayProxy, startDelayProxy } from './delay-proxy';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function proxyTo(server: Server, delayMs: number): Promise<DelayProxy> {
  const proxy = await startDelayProxy({ host: '127.0.0.1', port: portOf(server) }, delayMs);
  cleanups.push(() => proxy.close());
  return proxy;
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('startDelayProxy', () => {
  it('forwards client bytes to the server and the replies back, in order, then the end', async () => {
    const server = await startServer((socket) => {
      socket.on('data', (data: Buffer) => socket.write(data.toString().toUpperCase()));
      socket.on('end', () => socket.end('BYE'));
    });
    const proxy = await proxyTo(server, 5);
    const client = createConnection({ host: '127.0.0.1', port: proxy.port });
    let received = '';
    client.on('data', (data: Buffer) => {
      received += data.toString();
      if (received === 'ONE') client.write('two');
      if (received === 'ONETWO') client.end();
    });
    client.write('one');
    await once(client, 'close');
    expect(received).toBe('ONETWOBYE');
    expect(proxy.appliedDelayMs()).toBeGreaterThanOrEqual(5 - 0.5);
  });

  it('leaves no timer running once closed, with the client gone and the server ending', async () => {
    const before = timers();
    const server = await startServer((socket) => {
      socket.on('data', () => {
        // Replies pile up in the proxy's hold, then the server ends behind them.
        socket.write('250 held\r\n');
        socket.end();
      });
    });
    const proxy = await proxyTo(server, 50);
    const client = createConnection({ host: '127.0.0.1', port: proxy.port });
    client.write('QUIT\r\n');
    await once(client, 'connect');
    client.destroy();
    await proxy.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

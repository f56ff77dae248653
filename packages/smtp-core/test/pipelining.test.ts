// Pipelining across messages on a warm connection, measured: CHUNKING (RFC 3030) with PIPELINING
// (RFC 2920) needs no reply between messages; DATA needs one (the 354). The scripted server answers
// each read with one write, so its write count approximates round trips.
import { requireStarttls } from '@strictmail/tls-policy';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type SmtpClient } from '../src/node';
import { type ScriptedServer, startScriptedServer } from './helpers/scripted-server';

let server: ScriptedServer | undefined;
let client: SmtpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function measure(extensions: string[], count: number) {
  server = await startScriptedServer({ mode: 'starttls', extensions });
  client = createClient({
    host: '127.0.0.1',
    port: server.port,
    policy: requireStarttls({ ca: server.ca }),
    pool: { maxConnections: 1 },
  });
  await client.send({ from: 'warm@example.com', to: ['up@example.com'] }, 'Subject: warm-up\r\n\r\n.\r\n');
  const before = server.flushes;
  const results = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      (client as SmtpClient).send(
        { from: 'a@example.com', to: [`r${index}@example.com`] },
        `Subject: ${index}\r\n\r\n.line ${index}\nend`,
      ),
    ),
  );
  if (process.env.SMTP_CORE_MEASURE) console.log(extensions.join(), (server.flushes - before) / count);
  return { results, flushesPerMessage: (server.flushes - before) / count };
}

describe('pipelining on a warm connection', () => {
  it('with CHUNKING sends messages back to back: at most 0.2 server round trips per message', async () => {
    const { results, flushesPerMessage } = await measure(['PIPELINING', 'CHUNKING', '8BITMIME'], 50);
    expect(results.every((result) => result.accepted.length === 1)).toBe(true);
    expect(flushesPerMessage).toBeLessThanOrEqual(0.2);
    const bodies = (server as ScriptedServer).messages.slice(1).map((message) => message.data.toString());
    expect(bodies).toContain('Subject: 7\r\n\r\n.line 7\r\nend\r\n');
    expect(
      (server as ScriptedServer).messages
        .slice(1)
        .map((message) => message.to[0])
        .sort(),
    ).toEqual(Array.from({ length: 50 }, (_, index) => `r${index}@example.com`).sort());
  });

  it('with DATA needs about one round trip per message (the 354): at most 1.2', async () => {
    const { results, flushesPerMessage } = await measure(['PIPELINING', '8BITMIME'], 30);
    expect(results).toHaveLength(30);
    expect(flushesPerMessage).toBeLessThanOrEqual(1.2);
    // Dot-stuffed on the wire, unstuffed by the server: the content arrives unchanged.
    expect((server as ScriptedServer).messages.at(-1)?.data.toString()).toMatch(
      /^Subject: \d+\r\n\r\n\.line \d+\r\nend\r\n$/,
    );
  });

  it('moves messages that never reached the wire to a new connection when the first one dies', async () => {
    server = await startScriptedServer({
      mode: 'starttls',
      extensions: ['PIPELINING'],
      cutFirstConnectionAtData: true,
    });
    client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: requireStarttls({ ca: server.ca }),
      pool: { maxConnections: 1 },
    });
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map((index) =>
        (client as SmtpClient).send({ from: 'a@example.com', to: [`r${index}@example.com`] }, `n=${index}`),
      ),
    );
    // Message 1 was on the wire (MAIL, RCPT, DATA) when the server died: its fate is unknown, so it fails
    // (transient) rather than risk a duplicate. Messages 2 and 3 were still queued: they are delivered.
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { kind: 'connection' } });
    expect((outcomes[0] as PromiseRejectedResult).reason.isTransient()).toBe(true);
    expect(outcomes.slice(1).map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((server as ScriptedServer).messages.map((message) => message.to[0])).toEqual([
      'r2@example.com',
      'r3@example.com',
    ]);
  });

  it('never confuses replies between pipelined messages with refused recipients', async () => {
    server = await startScriptedServer({
      mode: 'starttls',
      extensions: ['PIPELINING', 'CHUNKING'],
      refuse: ['bad@example.com'],
    });
    client = createClient({
      host: '127.0.0.1',
      port: server.port,
      policy: requireStarttls({ ca: server.ca }),
      pool: { maxConnections: 1 },
    });
    const sends = Array.from({ length: 12 }, (_, index) =>
      (client as SmtpClient)
        .send(
          {
            from: 'a@example.com',
            to: index % 3 === 0 ? ['bad@example.com'] : [`ok${index}@example.com`, 'bad@example.com'],
          },
          `n=${index}`,
        )
        .then(
          (result) => ({ index, ok: true as const, accepted: result.accepted, rejected: result.rejected }),
          (error: { code: string; recipients?: unknown }) => ({
            index,
            ok: false as const,
            code: error.code,
            recipients: error.recipients,
          }),
        ),
    );
    for (const outcome of await Promise.all(sends)) {
      if (outcome.index % 3 === 0) {
        expect(outcome).toMatchObject({
          ok: false,
          code: 'RECIPIENTS_REJECTED',
          recipients: { accepted: [], rejected: ['bad@example.com'], unknown: [] },
        });
      } else {
        expect(outcome).toMatchObject({
          ok: true,
          accepted: [`ok${outcome.index}@example.com`],
          rejected: ['bad@example.com'],
        });
      }
    }
    const delivered = (server as ScriptedServer).messages.map(
      (message) => `${message.to.join()}:${message.data.toString()}`,
    );
    expect(delivered.sort()).toEqual(
      [1, 2, 4, 5, 7, 8, 10, 11].map((index) => `ok${index}@example.com:n=${index}\r\n`).sort(),
    );
  });
});

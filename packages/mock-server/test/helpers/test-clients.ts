// Two SMTP clients that exist only to prove the verdicts.
// - `insecureClient` does everything wrong on purpose: it authenticates wherever AUTH is offered, sends
//   STARTTLS even when not advertised and continues in plaintext on any answer but 220, keeps bytes
//   injected before the handshake, accepts any certificate and TLS 1.0, and sends the body unstuffed.
//   Every leak detector must fire against it. (It is the only place `rejectUnauthorized: false` appears,
//   and only because being fooled is its job.)
// - `carefulClient` does everything right: STARTTLS required and exactly 220, no byte after the 220,
//   verified TLS 1.2+ with forward-secret AEAD suites at OpenSSL security level 2, EHLO again after TLS
//   (RFC 3207 §4.2), AUTH only over TLS and only when offered there, CRLF-normalised, dot-stuffed body.
//   It must pass every scenario: no false alarm.
import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import { type ConnectionOptions, connect as connectTls, type TLSSocket } from 'node:tls';
import type { ScenarioSecrets } from '../../src/attacks/secrets';
import type { ClientResult } from '../../src/audit/verdict';
import { ReplyReader } from './reply-reader';

export interface TestClientTarget {
  readonly host: string;
  readonly port: number;
  readonly security: 'starttls' | 'implicit';
  readonly ca: string;
  readonly secrets: ScenarioSecrets;
}

const INSECURE_TLS: ConnectionOptions = {
  rejectUnauthorized: false,
  minVersion: 'TLSv1',
  ciphers: 'ALL@SECLEVEL=0',
};

const STRICT_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
  'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305@SECLEVEL=2';

function strictTls(target: TestClientTarget): ConnectionOptions {
  return { ca: target.ca, rejectUnauthorized: true, minVersion: 'TLSv1.2', ciphers: STRICT_CIPHERS };
}

async function handshake(options: ConnectionOptions): Promise<TLSSocket> {
  const socket = connectTls(options);
  await Promise.race([
    once(socket, 'secureConnect'),
    once(socket, 'error').then(([error]) => Promise.reject(error)),
  ]);
  return socket;
}

function authPlain(secrets: ScenarioSecrets): string {
  return `AUTH PLAIN ${Buffer.from(`\0${secrets.user}\0${secrets.password}`).toString('base64')}\r\n`;
}

function offers(lines: readonly string[], keyword: string): boolean {
  return lines.slice(1).some((line) => line.slice(4).toUpperCase().startsWith(keyword));
}

/** Sends the whole transaction without looking at codes; claims success if the data phase got a 250. */
async function insecureTransaction(reader: ReplyReader, secrets: ScenarioSecrets): Promise<boolean> {
  reader.write(`MAIL FROM:<${secrets.from}>\r\n`);
  await reader.next();
  for (const to of secrets.to) {
    reader.write(`RCPT TO:<${to}>\r\n`);
    await reader.next();
  }
  reader.write('DATA\r\n');
  await reader.next();
  reader.write(`Subject: ${secrets.subject}\r\n\r\n${secrets.body}\r\n.\r\n`);
  const final = await reader.next();
  reader.write('QUIT\r\n');
  return final?.code === 250;
}

async function insecureAuth(reader: ReplyReader, secrets: ScenarioSecrets, mechanism: 'PLAIN' | 'LOGIN') {
  if (mechanism === 'PLAIN') {
    reader.write(authPlain(secrets));
    await reader.next();
    return;
  }
  reader.write('AUTH LOGIN\r\n');
  await reader.next();
  reader.write(`${Buffer.from(secrets.user).toString('base64')}\r\n`);
  await reader.next();
  reader.write(`${Buffer.from(secrets.password).toString('base64')}\r\n`);
  await reader.next();
}

export async function insecureClient(
  target: TestClientTarget,
  mechanism: 'PLAIN' | 'LOGIN' = 'PLAIN',
): Promise<ClientResult> {
  const { secrets } = target;
  const socket =
    target.security === 'implicit'
      ? connectTls({ host: target.host, port: target.port, ...INSECURE_TLS })
      : connectTcp({ host: target.host, port: target.port });
  socket.on('error', () => undefined);
  const reader = new ReplyReader(socket);
  try {
    if ((await reader.next()) === null) return { claimedSuccess: false };
    reader.write('EHLO insecure.test\r\n');
    let ehlo = await reader.next();
    if (ehlo === null) return { claimedSuccess: false };
    if (ehlo.code !== 250) {
      reader.write('HELO insecure.test\r\n');
      ehlo = await reader.next();
    }
    let authenticated = false;
    if (ehlo !== null && offers(ehlo.lines, 'AUTH')) {
      await insecureAuth(reader, secrets, mechanism);
      authenticated = true;
    }
    if (target.security === 'starttls') {
      reader.write('STARTTLS\r\n');
      const reply = await reader.next();
      if (reply === null) return { claimedSuccess: false };
      if (reply.code === 220) {
        const secure = connectTls({ socket: reader.detach(), ...INSECURE_TLS });
        secure.on('error', () => undefined);
        reader.attach(secure, true);
        reader.write('EHLO insecure.test\r\n');
        await reader.next();
      }
    }
    if (!authenticated) await insecureAuth(reader, secrets, mechanism);
    return { claimedSuccess: await insecureTransaction(reader, secrets) };
  } finally {
    reader.socket.end();
  }
}

/** RFC 5321 §2.3.8 (CRLF only) and §4.5.2 (dot-stuffing), applied to the whole message. */
export function smuggleSafe(message: string): string {
  return message.replace(/\r\n|\r|\n/g, '\r\n').replace(/(^|\r\n)\./g, '$1..');
}

class Refusal extends Error {}

function expectCode(reply: { code: number } | null, code: number, step: string): void {
  if (reply?.code !== code) throw new Refusal(`${step}: expected ${code}, got ${reply?.code ?? 'close'}`);
}

export async function carefulClient(target: TestClientTarget): Promise<ClientResult & { error?: string }> {
  const { secrets } = target;
  let reader: ReplyReader | undefined;
  try {
    const socket =
      target.security === 'implicit'
        ? await handshake({ host: target.host, port: target.port, ...strictTls(target) })
        : connectTcp({ host: target.host, port: target.port });
    socket.on('error', () => undefined);
    reader = new ReplyReader(socket);
    expectCode(await reader.next(), 220, 'greeting');
    reader.write('EHLO careful.test\r\n');
    let ehlo = await reader.next();
    expectCode(ehlo, 250, 'EHLO');
    if (target.security === 'starttls') {
      if (ehlo === null || !offers(ehlo.lines, 'STARTTLS')) throw new Refusal('STARTTLS not advertised');
      reader.write('STARTTLS\r\n');
      expectCode(await reader.next(), 220, 'STARTTLS');
      // RFC 3207 §6: nothing may arrive between the 220 and the handshake.
      if (reader.pending().length > 0) throw new Refusal('bytes injected after the 220 to STARTTLS');
      const secure = await handshake({ socket: reader.detach(), ...strictTls(target) });
      secure.on('error', () => undefined);
      reader.attach(secure, false);
      // RFC 3207 §4.2: forget everything learned before TLS and ask again.
      reader.write('EHLO careful.test\r\n');
      ehlo = await reader.next();
      expectCode(ehlo, 250, 'EHLO after STARTTLS');
    }
    if (ehlo === null || !offers(ehlo.lines, 'AUTH')) throw new Refusal('AUTH not offered over TLS');
    reader.write(authPlain(secrets));
    expectCode(await reader.next(), 235, 'AUTH');
    reader.write(`MAIL FROM:<${secrets.from}>\r\n`);
    expectCode(await reader.next(), 250, 'MAIL');
    for (const to of secrets.to) {
      reader.write(`RCPT TO:<${to}>\r\n`);
      expectCode(await reader.next(), 250, 'RCPT');
    }
    reader.write('DATA\r\n');
    expectCode(await reader.next(), 354, 'DATA');
    reader.write(`${smuggleSafe(`Subject: ${secrets.subject}\r\n\r\n${secrets.body}`)}\r\n.\r\n`);
    expectCode(await reader.next(), 250, 'end of data');
    reader.write('QUIT\r\n');
    return { claimedSuccess: true };
  } catch (error) {
    return { claimedSuccess: false, error: (error as Error).message };
  } finally {
    reader?.socket.end();
  }
}

// The TLS step of the driver: hand the socket to Node's TLS with the options tls-policy derives from the
// policy, wait for the handshake, and have tls-policy judge the finished session. Rule: strictmail
// writes no TLS judgement of its own; every verdict is `judgeTlsSocket`'s, every failure is explained
// by `diagnoseHandshakeError`.
import { once } from 'node:events';
import type net from 'node:net';
import tls from 'node:tls';
import type { TlsEntry, TlsPolicy, TlsReceipt } from '@strictmail/tls-policy';
import { diagnoseHandshakeError, judgeTlsSocket, tlsConnectOptions } from '@strictmail/tls-policy/node';

/** A TLS session to resume, with the receipt of the session that issued it. */
export interface ResumableSession {
  readonly session: Buffer;
  readonly receipt: TlsReceipt;
}

export interface TlsUpgradeContext {
  readonly host: string;
  readonly port: number;
  readonly policy: TlsPolicy;
  readonly entry: TlsEntry;
  readonly resume: ResumableSession | undefined;
}

/**
 * Starts TLS over `raw` (plaintext after STARTTLS, or a fresh TCP socket for implicit TLS). From now on
 * every byte goes through TLS: a plaintext byte injected here makes the handshake fail (RFC 3207 §6).
 * `onTicket` receives each session ticket (TLS 1.3 tickets may arrive before or after the judgement).
 */
export function startTls(
  raw: net.Socket,
  context: TlsUpgradeContext,
  onTicket: (ticket: Buffer) => void,
): tls.TLSSocket {
  const { host, policy, entry, resume } = context;
  const secure = tls.connect({
    ...tlsConnectOptions(policy, { host, entry, session: resume?.session }),
    socket: raw,
  });
  secure.on('session', onTicket);
  return secure;
}

/**
 * Waits for the handshake and returns the judged receipt, or `null` when the connection was closed
 * meanwhile (`closed` settled first). Throws the `SecurityError` that explains a failed handshake or
 * a refused session.
 */
export async function finishTls(
  secure: tls.TLSSocket,
  context: TlsUpgradeContext,
  closed: Promise<unknown>,
): Promise<TlsReceipt | null> {
  const { host, port, policy, entry, resume } = context;
  try {
    const outcome = await Promise.race([
      once(secure, 'secureConnect').then(() => 'connected' as const),
      closed.then(() => 'closed' as const),
    ]);
    if (outcome === 'closed') return null;
    const resumedFrom =
      secure.isSessionReused() && resume !== undefined ? { resumedFrom: resume.receipt } : {};
    return judgeTlsSocket(secure, policy, { host, entry, ...resumedFrom });
  } catch (error) {
    throw diagnoseHandshakeError(error, { policy, host, port });
  }
}

/** The session to offer for resumption after this one (TLS 1.2 sessions have no separate ticket event). */
export function sessionAfterHandshake(secure: tls.TLSSocket, ticket: Buffer | undefined): Buffer | undefined {
  return ticket ?? (secure.getProtocol() === 'TLSv1.3' ? undefined : secure.getSession());
}

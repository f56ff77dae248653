// One probe connection of `check`: reach TLS the way the port expects (implicit TLS from the first
// byte, or greeting + EHLO + STARTTLS), then EHLO again over TLS (RFC 3207 §4.2: what was learnt
// before TLS is discarded). The caller chooses the TLS options, so the same code serves the
// inspection handshake and the handshakes judged by @strictmail/tls-policy/node.
// Rule: every step has a deadline, and the caller always gets the socket back to close it.
import net from 'node:net';
import tls from 'node:tls';
import { authMechanisms, ehloKeywords, SmtpDialogue, type SmtpReplyText } from './smtp-dialogue';

/** Real servers greet within seconds; 10 s covers slow greeters (postscreen waits up to 6 s) on a probe. */
export const PROBE_STEP_TIMEOUT_MS = 10_000;
/** The EHLO name of every probe: RFC 5321 §4.1.4 allows an address literal when no name is known. */
export const PROBE_CLIENT_NAME = '[127.0.0.1]';

export type ProbeEntry = 'implicit-tls' | 'starttls';

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

/** What the plaintext phase of a STARTTLS port showed. */
export interface PlaintextPhase {
  readonly greeting: string;
  readonly capabilities: string[];
  /** The reply to STARTTLS, or `undefined` when STARTTLS was not advertised and not tried. */
  readonly starttlsReply: SmtpReplyText | undefined;
  /** Bytes received after the 220 to STARTTLS and before the handshake (must be empty). */
  readonly injectedBeforeTls: string;
  /**
   * With `probeAuth`: the reply code to `AUTH PLAIN` (no initial response, so no credential) before
   * TLS. 334 means the server would take a password in plaintext; 538/530 mean it refuses (RFC 4954 §4).
   */
  readonly authBeforeTlsReply: number | undefined;
}

export interface TlsProbe {
  readonly socket: tls.TLSSocket;
  readonly plaintext: PlaintextPhase | undefined;
  /** Greeting read over TLS (implicit TLS only). */
  readonly greeting: string | undefined;
  /** EHLO keywords over TLS, or the error that prevented reading them. */
  readonly capabilities: string[] | Error;
  /** Sends QUIT (best effort) and closes the connection. */
  close(): Promise<void>;
}

/** Thrown when the plaintext phase of a STARTTLS port ends before a TLS handshake can start. */
export class PlaintextPhaseError extends Error {
  constructor(
    message: string,
    readonly phase: Partial<PlaintextPhase>,
  ) {
    super(message);
    this.name = 'PlaintextPhaseError';
  }
}

/** Thrown when the TLS handshake itself fails; `cause` is the raw Node/OpenSSL error to diagnose. */
export class HandshakeFailedError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly plaintext: PlaintextPhase | undefined,
  ) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'HandshakeFailedError';
  }
}

export function connectTcp(target: ProbeTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP connection to ${target.host}:${target.port} within ${target.timeoutMs} ms`));
    }, target.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once('error', onError);
  });
}

/** Performs a TLS handshake; rejects with the raw Node/OpenSSL error so the caller can diagnose it. */
export function handshake(options: tls.ConnectionOptions, timeoutMs: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the TLS handshake did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      options.socket?.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** Greeting, EHLO and (if advertised) STARTTLS on a fresh plaintext connection. */
export async function plaintextPhase(
  target: ProbeTarget,
  probeAuth = false,
): Promise<{ socket: net.Socket; phase: PlaintextPhase }> {
  let socket: net.Socket;
  try {
    socket = await connectTcp(target);
  } catch (error) {
    throw new PlaintextPhaseError(`no TCP connection: ${(error as Error).message}`, {});
  }
  const dialogue = new SmtpDialogue(socket, target.timeoutMs);
  const partial: { -readonly [K in keyof PlaintextPhase]?: PlaintextPhase[K] } = {};
  try {
    const greeting = await dialogue.readReply();
    partial.greeting = greeting.lines.join(' ');
    if (greeting.code !== 220)
      throw new PlaintextPhaseError(`the greeting was ${greeting.code}, not 220`, partial);
    const ehlo = await dialogue.command(`EHLO ${PROBE_CLIENT_NAME}`);
    if (ehlo.code !== 250) throw new PlaintextPhaseError(`EHLO was answered with ${ehlo.code}`, partial);
    partial.capabilities = ehloKeywords(ehlo);
    partial.authBeforeTlsReply = undefined;
    if (probeAuth && authMechanisms(partial.capabilities).includes('PLAIN')) {
      // RFC 4954 §4: AUTH without an initial response makes the server answer 334 (go on) or refuse;
      // `*` then cancels the exchange (501), so no credential, real or fake, is ever sent.
      const auth = await dialogue.command('AUTH PLAIN');
      partial.authBeforeTlsReply = auth.code;
      if (auth.code === 334) await dialogue.command('*');
    }
    if (!partial.capabilities.includes('STARTTLS')) {
      partial.starttlsReply = undefined;
      throw new PlaintextPhaseError('STARTTLS is not advertised in the EHLO reply', partial);
    }
    partial.starttlsReply = await dialogue.command('STARTTLS');
    if (partial.starttlsReply.code !== 220) {
      throw new PlaintextPhaseError(
        `STARTTLS was answered with ${partial.starttlsReply.code}, not 220`,
        partial,
      );
    }
    partial.injectedBeforeTls = dialogue.detach();
    return { socket, phase: partial as PlaintextPhase };
  } catch (error) {
    dialogue.detach();
    socket.destroy();
    if (error instanceof PlaintextPhaseError) throw error;
    throw new PlaintextPhaseError((error as Error).message, partial);
  }
}

/**
 * Reaches TLS on `entry` with the given TLS options, calls `judge` on the finished session before any
 * byte is sent over it (if it throws, the connection is closed and the error propagates), then reads
 * the post-TLS EHLO.
 */
export async function openTlsProbe(
  target: ProbeTarget,
  entry: ProbeEntry,
  tlsOptions: tls.ConnectionOptions,
  judge?: (socket: tls.TLSSocket) => void,
  probeAuth = false,
): Promise<TlsProbe> {
  let plaintext: PlaintextPhase | undefined;
  let socket: tls.TLSSocket;
  try {
    if (entry === 'starttls') {
      const opened = await plaintextPhase(target, probeAuth);
      plaintext = opened.phase;
      socket = await handshake({ ...tlsOptions, socket: opened.socket, host: target.host }, target.timeoutMs);
    } else {
      socket = await handshake({ ...tlsOptions, host: target.host, port: target.port }, target.timeoutMs);
    }
  } catch (error) {
    if (error instanceof PlaintextPhaseError) throw error;
    throw new HandshakeFailedError(error, plaintext);
  }
  try {
    judge?.(socket);
  } catch (error) {
    socket.destroy();
    throw error;
  }
  const dialogue = new SmtpDialogue(socket, target.timeoutMs);
  let greeting: string | undefined;
  let capabilities: string[] | Error;
  try {
    if (entry === 'implicit-tls') greeting = (await dialogue.readReply()).lines.join(' ');
    const ehlo = await dialogue.command(`EHLO ${PROBE_CLIENT_NAME}`);
    capabilities =
      ehlo.code === 250 ? ehloKeywords(ehlo) : new Error(`EHLO over TLS was answered with ${ehlo.code}`);
  } catch (error) {
    capabilities = error as Error;
  }
  const close = async (): Promise<void> => {
    if (!socket.destroyed && !(capabilities instanceof Error)) {
      await dialogue.command('QUIT').catch(() => undefined);
    }
    dialogue.detach();
    socket.destroy();
  };
  return { socket, plaintext, greeting, capabilities, close };
}

// The data phase: collects the message as smtp-server hands it over (dot-stuffing undone, RFC 5321
// §4.5.2), plays the `data-body` and `data-end` faults, parses the message with mailparser, and stores
// it before the final 250, so a client whose send resolved finds its message already in `messages`.
// A message is not stored when the client left mid-body, when it was too big, or when a fault refused it.
import { type ParsedMail, simpleParser } from 'mailparser';
import type { SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { MockConnection } from './connection';
import { smtpError } from './errors';
import { type FaultScript, faultText } from './faults';
import type { CapturedMessage } from './message';

export interface DataHandlerContext {
  readonly faults: FaultScript;
  readonly connectionOf: (session: SMTPServerSession) => MockConnection | undefined;
  /** True once close() started: a message finishing then is refused with 421, not stored. */
  readonly isClosing: () => boolean;
  readonly store: (message: CapturedMessage) => void;
}

function mailParameters(address: SMTPServerAddress | false): Record<string, string | true> {
  if (address === false || typeof address.args !== 'object' || address.args === null) return {};
  const result: Record<string, string | true> = {};
  for (const [key, value] of Object.entries(address.args as Record<string, unknown>)) {
    result[key.toUpperCase()] = typeof value === 'string' ? value : true;
  }
  return result;
}

/** Builds smtp-server's `onData` hook. */
export function createDataHandler(context: DataHandlerContext) {
  const { faults, connectionOf, isClosing, store } = context;
  let sequence = 0;
  return function onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null, message?: string) => void,
  ): void {
    const connection = connectionOf(session);
    // Counted only when it fires: a message shorter than afterBytes leaves the fault for the next one.
    const bodyFault = faults.peek('data-body');
    const chunks: Buffer[] = [];
    let received = 0;
    let dropped = false;
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (bodyFault !== undefined && !dropped && received >= (bodyFault.afterBytes ?? 0)) {
        if (!faults.consume(bodyFault)) return;
        dropped = true;
        connection?.drop();
      }
    });
    // The stream is destroyed when the client leaves mid-body; nothing is stored then.
    stream.on('error', () => {
      dropped = true;
    });
    stream.on('end', () => {
      if (dropped) return;
      // smtp-server itself answers 552 to an oversized message (RFC 1870 §6.3) whatever we say.
      if (stream.sizeExceeded) return callback(null);
      const endFault = faults.take('data-end');
      const accept = () => {
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom;
        const envelope = {
          from: from === false ? '' : from.address,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          mailParameters: mailParameters(from),
        };
        const tlsDetails = connection?.recorder.tls ?? null;
        const user = typeof session.user === 'string' && session.user !== '' ? session.user : null;
        simpleParser(raw).then(
          (parsed: ParsedMail) => {
            if (isClosing()) return callback(smtpError(421, 'Server shutting down'));
            sequence += 1;
            const message: CapturedMessage = {
              sequence,
              sessionId: session.id,
              envelope,
              raw,
              parsed,
              tls: tlsDetails,
              user,
              receivedAt: new Date(),
            };
            store(message);
            callback(null, `OK: queued as ${sequence}`);
          },
          (error: unknown) =>
            callback(smtpError(451, `mock-server could not parse the message: ${String(error)}`)),
        );
      };
      if (endFault === undefined || connection === undefined) return accept();
      connection.afterDelay(endFault, () => {
        if (endFault.disconnect === true) return connection.drop();
        if (endFault.reply === undefined) return accept();
        callback(smtpError(endFault.reply, faultText(endFault)));
      });
    });
  };
}

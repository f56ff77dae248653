// The smtp-server sink: nodemailer's own server library, as a real-world reference point. Its limits
// are its own and are reported beside every figure taken on it: a hard-coded 100 ms wait before each
// greeting ("early talker" detection), no CHUNKING (DATA only), and per-command parsing in streams.
// Reverse DNS is off (no packet may leave loopback) and the certificate is generated for the run.
import { SMTPServer } from 'smtp-server';
import type { Sink } from './sink';
import type { SinkCounters } from './sink-session';

export interface SmtpServerSinkOptions {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly user: string;
  readonly pass: string;
}

/** How long `close()` lets open sessions finish before smtp-server sends 421 (its default is 30 s). */
const CLOSE_GRACE_MS = 100;

export async function startSmtpServerSink(options: SmtpServerSinkOptions): Promise<Sink> {
  const totals: SinkCounters = { messages: 0, recipients: 0, bodyBytes: 0 };
  const server = new SMTPServer({
    secure: false,
    key: options.privateKeyPem,
    cert: options.certificatePem,
    minVersion: 'TLSv1.3',
    disableReverseLookup: true,
    authMethods: ['PLAIN', 'LOGIN'],
    banner: 'strictmail bench smtp-server sink',
    size: 100 * 1024 * 1024,
    logger: false,
    closeTimeout: CLOSE_GRACE_MS,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('535 5.7.8 Authentication credentials invalid'));
      }
    },
    onData(stream, session, callback) {
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      stream.on('end', () => {
        totals.messages += 1;
        totals.recipients += session.envelope.rcptTo.length;
        totals.bodyBytes += bytes;
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('smtp-server sink: no TCP address');
  return {
    name: 'smtp-server',
    description: 'smtp-server 3.21.6: 100 ms greeting delay per connection, PIPELINING, no CHUNKING',
    host: '127.0.0.1',
    port: address.port,
    counters: () => ({ ...totals }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The leak detector on hand-made wire records: every encoding a secret can take on the wire is found,
// and nothing is reported for bytes that went where they were allowed to go.
import { describe, expect, it } from 'vitest';
import { createSecrets } from '../src/attacks/secrets';
import { createConnectionRecord, recordClientBytes, type WirePhase } from '../src/attacks/wire-record';
import { findLeaks } from '../src/audit/leak-detector';

const secrets = createSecrets('unit');

function record(chunks: [WirePhase, string][]) {
  const connection = createConnectionRecord(0, 'starttls');
  for (const [phase, text] of chunks) recordClientBytes(connection, phase, Buffer.from(text, 'latin1'));
  return connection;
}

const base64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

describe('credentials sent before TLS are found in every SASL encoding (RFC 4954, RFC 4616)', () => {
  it('finds the password inside AUTH PLAIN, base64 of "\\0user\\0password"', () => {
    const leaks = findLeaks(
      [record([['plaintext', `AUTH PLAIN ${base64(`\0${secrets.user}\0${secrets.password}`)}\r\n`]])],
      secrets,
      false,
    );
    expect(leaks).toEqual([
      { secret: 'password', encoding: 'base64', channel: 'plaintext', connection: 0 },
      { secret: 'username', encoding: 'base64', channel: 'plaintext', connection: 0 },
    ]);
  });

  it('finds the password on its own AUTH LOGIN line', () => {
    const leaks = findLeaks(
      [record([['plaintext', `AUTH LOGIN\r\n${base64(secrets.password)}\r\n`]])],
      secrets,
      false,
    );
    expect(leaks).toEqual([{ secret: 'password', encoding: 'base64', channel: 'plaintext', connection: 0 }]);
  });

  it('finds a raw password, as a client with AUTH in a custom header would send it', () => {
    const leaks = findLeaks([record([['plaintext', `X-Password: ${secrets.password}\r\n`]])], secrets, false);
    expect(leaks).toEqual([{ secret: 'password', encoding: 'raw', channel: 'plaintext', connection: 0 }]);
  });
});

describe('envelope and body sent before TLS are found', () => {
  it('finds MAIL FROM, RCPT TO and the body marker, also in a base64 MIME body split over lines', () => {
    const body = base64(`Hello\r\nmarker ${secrets.bodyMarker}\r\n`.repeat(4)).replace(/.{1,20}/g, '$&\r\n');
    const leaks = findLeaks(
      [
        record([
          ['plaintext', `MAIL FROM:<${secrets.from}>\r\nRCPT TO:<${secrets.to[0]}>\r\nDATA\r\n`],
          ['plaintext', `Content-Transfer-Encoding: base64\r\n\r\n${body}.\r\n`],
        ]),
      ],
      secrets,
      false,
    );
    expect(leaks.map((leak) => [leak.secret, leak.encoding])).toEqual([
      ['mail-from', 'raw'],
      ['rcpt-to', 'raw'],
      ['body-marker', 'base64'],
    ]);
  });

  it('finds the marker across a quoted-printable soft line break', () => {
    const split = `${secrets.bodyMarker.slice(0, 10)}=\r\n${secrets.bodyMarker.slice(10)}`;
    const leaks = findLeaks([record([['plaintext', `DATA\r\n${split}\r\n.\r\n`]])], secrets, false);
    expect(leaks).toEqual([{ secret: 'body-marker', encoding: 'raw', channel: 'plaintext', connection: 0 }]);
  });
});

describe('channels', () => {
  const transaction = `AUTH PLAIN ${base64(`\0${secrets.user}\0${secrets.password}`)}\r\nMAIL FROM:<${secrets.from}>\r\n`;

  it('reports nothing for bytes sent inside TLS to a trusted endpoint', () => {
    expect(
      findLeaks(
        [
          record([
            ['plaintext', 'EHLO client\r\nSTARTTLS\r\n'],
            ['tls', transaction],
          ]),
        ],
        secrets,
        false,
      ),
    ).toEqual([]);
  });

  it('reports bytes sent inside TLS to a defective endpoint as untrusted-tls (cert-* and legacy TLS scenarios)', () => {
    const leaks = findLeaks([record([['tls', transaction]])], secrets, true);
    expect(new Set(leaks.map((leak) => leak.channel))).toEqual(new Set(['untrusted-tls']));
    expect(leaks.map((leak) => leak.secret)).toEqual(['password', 'username', 'mail-from']);
  });

  it('reports the connection each leak happened on', () => {
    const clean = record([['plaintext', 'EHLO client\r\n']]);
    const leaky = createConnectionRecord(1, 'starttls');
    recordClientBytes(leaky, 'plaintext', Buffer.from(`MAIL FROM:<${secrets.from}>\r\n`));
    expect(findLeaks([clean, leaky], secrets, false)).toEqual([
      { secret: 'mail-from', encoding: 'raw', channel: 'plaintext', connection: 1 },
    ]);
  });
});

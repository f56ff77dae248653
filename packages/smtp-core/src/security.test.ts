// Security tests, each named after the attack it stops, with the RFC it enforces. They drive the
// sans-I/O core with a scripted man in the middle and check both the typed refusal and that nothing
// beyond the allowed bytes left the client.
import { dangerousOpportunisticStarttls, dangerousPlaintext, SecurityError } from '@strictmail/tls-policy';
import { describe, expect, it } from 'vitest';
import {
  EHLO_PLAIN_STARTTLS,
  ehloReply,
  encoder,
  Harness,
  readySession,
  splits,
  verifiedReceipt,
} from '../test/helpers/core-harness';

const GREETING = '220 mail.example.com ESMTP\r\n';
const credentials = { user: 'alice', pass: 'correct horse battery staple' };

function failureCode(harness: Harness): string | undefined {
  return harness.failure()?.error.code;
}

describe('STARTTLS stripping (RFC 3207 §4, invariant 2)', () => {
  it('aborts with STARTTLS_STRIPPED when a MITM removes STARTTLS from the EHLO reply', () => {
    const harness = new Harness({ credentials });
    harness.feed(GREETING);
    harness.feed('250-mail.example.com\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n');
    expect(failureCode(harness)).toBe('STARTTLS_STRIPPED');
    expect(SecurityError.isInstance(harness.failure()?.error)).toBe(true);
    expect(harness.take()).toBe('EHLO client.example\r\n');
  });

  it('under the opportunistic policy continues without TLS but never sends credentials (invariant 1)', () => {
    const harness = new Harness({ policy: dangerousOpportunisticStarttls(), credentials });
    harness.feed(GREETING);
    harness.feed('250-mail.example.com\r\n250 AUTH PLAIN\r\n');
    expect(failureCode(harness)).toBe('AUTH_UNAVAILABLE');
    expect(harness.take()).toBe('EHLO client.example\r\n');
  });
});

describe('STARTTLS answered with anything but 220 (RFC 3207 §4, invariant 2)', () => {
  it.each([
    '454 4.7.0 TLS not available',
    '502 5.5.1 Unrecognized command',
    '530 5.7.0 Must issue STARTTLS',
    '999 nonsense',
    '250 OK',
  ])('aborts with STARTTLS_REFUSED on "%s" and sends nothing more', (reply) => {
    const harness = new Harness({ credentials });
    harness.feed(GREETING);
    harness.feed(EHLO_PLAIN_STARTTLS);
    expect(harness.take()).toBe('EHLO client.example\r\nSTARTTLS\r\n');
    harness.feed(`${reply}\r\n`);
    expect(failureCode(harness)).toBe('STARTTLS_REFUSED');
    expect(harness.take()).toBe('');
    expect(harness.events.some((event) => event.type === 'tls-upgrade-request')).toBe(false);
  });
});

describe('EHLO refused to force a HELO downgrade (RFC 5321 §4.1.4, RFC 3207 §4)', () => {
  it.each(['502 5.5.2 Error: command not recognized', '500 syntax error', '550 go away'])(
    'aborts with EHLO_REFUSED on "%s" and never sends HELO',
    (reply) => {
      const harness = new Harness();
      harness.feed(GREETING);
      harness.feed(`${reply}\r\n`);
      expect(failureCode(harness)).toBe('EHLO_REFUSED');
      expect(harness.take()).toBe('EHLO client.example\r\n');
    },
  );

  it('falls back to HELO only where TLS is not required (dangerous-plaintext)', () => {
    const harness = new Harness({ policy: dangerousPlaintext() });
    harness.feed(GREETING);
    harness.feed('502 5.5.2 unknown\r\n');
    harness.feed('250 mail.example.com\r\n');
    expect(harness.take()).toBe('EHLO client.example\r\nHELO client.example\r\n');
    expect(harness.last()?.type).toBe('session-ready');
  });
});

describe('Reply injection after the 220 to STARTTLS (RFC 3207 §6, CVE-2021-22947 class, invariant 3)', () => {
  const injected = [
    ['a whole injected reply', '250-mail.example.com\r\n250 AUTH PLAIN\r\n'],
    ['a partial injected line', '25'],
    ['a single byte', '\r'],
  ];

  it.each(injected)(
    'aborts with PRE_TLS_DATA_INJECTED when %s arrives with the 220, however the bytes are split',
    (_name, extra) => {
      const stream = encoder.encode(`220 2.0.0 Ready to start TLS\r\n${extra}`);
      for (const [first, second] of splits(stream)) {
        const harness = new Harness({ credentials });
        harness.feed(GREETING);
        harness.feed(EHLO_PLAIN_STARTTLS);
        harness.take();
        harness.feed(first);
        harness.feed(second);
        expect(failureCode(harness)).toBe('PRE_TLS_DATA_INJECTED');
        expect(harness.take()).toBe('');
        expect(() => harness.connection.tlsEstablished(verifiedReceipt)).toThrow();
      }
    },
  );

  it.each(injected)(
    'aborts with PRE_TLS_DATA_INJECTED when %s arrives later, before tlsEstablished()',
    (_name, extra) => {
      const harness = new Harness({ credentials });
      harness.feed(GREETING);
      harness.feed(EHLO_PLAIN_STARTTLS);
      harness.feed('220 2.0.0 Ready to start TLS\r\n');
      expect(harness.last()).toEqual({ type: 'tls-upgrade-request', entry: 'starttls' });
      harness.take();
      harness.feed(extra);
      expect(failureCode(harness)).toBe('PRE_TLS_DATA_INJECTED');
      expect(harness.take()).toBe('');
    },
  );
});

describe('Capabilities learned before TLS are forgotten (RFC 3207 §4.2, invariant 4)', () => {
  it('sends EHLO again after TLS and uses only what the post-TLS EHLO says', () => {
    const harness = new Harness();
    harness.feed(GREETING);
    harness.feed(
      '250-mail.example.com\r\n250-STARTTLS\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n',
    );
    harness.feed('220 go ahead\r\n');
    harness.take();
    harness.tls();
    expect(harness.take()).toBe('EHLO client.example\r\n');
    expect(harness.connection.capabilities).toBeNull();
    harness.feed(ehloReply(['SIZE 1000']));
    const capabilities = harness.connection.capabilities;
    expect(capabilities?.pipelining).toBe(false);
    expect(capabilities?.chunking).toBe(false);
    expect(capabilities?.smtpUtf8).toBe(false);
    // Without PIPELINING after TLS, MAIL goes alone (the pre-TLS PIPELINING is not trusted).
    harness.send({
      type: 'message-start',
      id: 1,
      envelope: { from: 'a@example.com', to: ['b@example.com', 'c@example.com'] },
      eightBit: false,
    });
    expect(harness.take()).toBe('MAIL FROM:<a@example.com> SIZE=0\r\n'.replace(' SIZE=0', ''));
  });

  it('refuses with AUTH_UNAVAILABLE when AUTH was advertised before TLS but not after', () => {
    const harness = new Harness({ credentials });
    harness.feed(GREETING);
    harness.feed('250-mail.example.com\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n');
    harness.feed('220 go ahead\r\n');
    harness.tls();
    harness.take();
    harness.feed(ehloReply(['PIPELINING']));
    expect(failureCode(harness)).toBe('AUTH_UNAVAILABLE');
    expect(harness.failure()?.error.message).toMatch(/before TLS but not after/);
    expect(harness.take()).toBe('');
  });
});

describe('Credentials only after a judged TLS session (invariant 1, invariant 9)', () => {
  it('sends AUTH only after tlsEstablished, and the transcript never contains the secret', () => {
    const transcript: string[] = [];
    const harness = new Harness({ credentials, transcript: (entry) => transcript.push(entry.text) });
    harness.feed(GREETING);
    harness.feed('250-mail.example.com\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n');
    harness.feed('220 go\r\n');
    expect(harness.written).not.toMatch(/AUTH/);
    harness.tls();
    harness.feed(ehloReply(['AUTH PLAIN LOGIN']));
    const secret = Buffer.from(`\0alice\0${credentials.pass}`).toString('base64');
    expect(harness.take()).toContain(`AUTH PLAIN ${secret}\r\n`);
    harness.feed('235 2.7.0 ok\r\n');
    expect(harness.last()).toMatchObject({ type: 'session-ready', authenticated: true });
    const joined = transcript.join('\n');
    expect(joined).toContain('AUTH PLAIN [credentials redacted]');
    expect(joined).not.toContain(secret);
    expect(joined).not.toContain(credentials.pass);
  });

  it('refuses credentials with CR/LF/NUL before anything is sent (invariant 6)', () => {
    expect(() => new Harness({ credentials: { user: 'alice\0admin', pass: 'x' } })).toThrow(
      expect.objectContaining({ code: 'UNSAFE_INPUT' }),
    );
  });
});

describe('CR/LF injection in envelope addresses (RFC 5321 §2.3.8, invariant 6)', () => {
  it('refuses the message before writing anything and keeps the connection usable', () => {
    const harness = readySession(['PIPELINING']);
    expect(() =>
      harness.send({
        type: 'message-start',
        id: 1,
        envelope: { from: 'a@example.com', to: ['b@example.com>\r\nRCPT TO:<evil@example.com'] },
        eightBit: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'UNSAFE_INPUT' }));
    expect(harness.take()).toBe('');
    expect(harness.connection.state).toBe('READY');
  });
});

describe('SMTP smuggling through the body (CVE-2023-51764 class, invariant 7)', () => {
  it('sends exactly one end-of-data sequence, at the end', () => {
    const harness = readySession(['PIPELINING']);
    harness.send({
      type: 'message-start',
      id: 1,
      envelope: { from: 'a@example.com', to: ['b@example.com'] },
      eightBit: false,
    });
    harness.feed('250 ok\r\n250 ok\r\n354 go\r\n');
    harness.take();
    harness.send({
      type: 'body-chunk',
      id: 1,
      data: encoder.encode('Subject: x\n\nhi\n.\nMAIL FROM:<evil@example.com>\r\n.\r'),
    });
    harness.send({ type: 'body-end', id: 1 });
    const wire = harness.take();
    expect(wire.split('\r\n.\r\n')).toHaveLength(2);
    expect(wire.endsWith('\r\n.\r\n')).toBe(true);
    expect(wire).toContain('\r\n..\r\nMAIL FROM');
  });
});

describe('REQUIRETLS (RFC 8689 §4)', () => {
  it('refuses when the server does not advertise REQUIRETLS', () => {
    const harness = readySession(['PIPELINING']);
    expect(() =>
      harness.send({
        type: 'message-start',
        id: 1,
        envelope: { from: 'a@example.com', to: ['b@example.com'], requireTls: true },
        eightBit: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'REQUIRETLS_UNAVAILABLE' }));
  });

  it('refuses over TLS whose chain or name was not verified (pin-only trust)', () => {
    const harness = new Harness();
    harness.feed(GREETING);
    harness.feed(EHLO_PLAIN_STARTTLS);
    harness.feed('220 go\r\n');
    harness.tls({ ...verifiedReceipt, chainVerified: false, hostnameVerified: false, decidedBy: 'pin' });
    harness.feed(ehloReply(['REQUIRETLS']));
    expect(() =>
      harness.send({
        type: 'message-start',
        id: 1,
        envelope: { from: 'a@example.com', to: ['b@example.com'], requireTls: true },
        eightBit: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'REQUIRETLS_UNAVAILABLE' }));
  });

  it('sends REQUIRETLS over verified TLS to a server advertising it', () => {
    const harness = readySession(['REQUIRETLS']);
    harness.send({
      type: 'message-start',
      id: 1,
      envelope: { from: 'a@example.com', to: ['b@example.com'], requireTls: true },
      eightBit: false,
    });
    expect(harness.take()).toBe('MAIL FROM:<a@example.com> REQUIRETLS\r\n');
  });
});

describe('A 421 at any time closes the session (RFC 5321 §3.8)', () => {
  it('fails unfinished messages with a transient error naming their recipients', () => {
    const harness = readySession(['PIPELINING']);
    harness.send({
      type: 'message-start',
      id: 7,
      envelope: { from: 'a@example.com', to: ['b@example.com', 'c@example.com'] },
      eightBit: false,
    });
    harness.feed('250 ok\r\n250 ok\r\n421 4.3.2 shutting down\r\n');
    const reject = harness.events.find((event) => event.type === 'message-reject');
    expect(reject).toMatchObject({ id: 7 });
    const error = (reject as unknown as { error: { isTransient(): boolean; recipients: unknown } }).error;
    expect(error.isTransient()).toBe(true);
    expect(error.recipients).toEqual({
      accepted: ['b@example.com'],
      rejected: [],
      unknown: ['c@example.com'],
    });
    expect(failureCode(harness)).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('A message is sent only after the final positive reply to the data phase (RFC 5321 §4.1.1.4, invariant 8)', () => {
  function sendWholeMessage(harness: ReturnType<typeof readySession>): void {
    harness.send({
      type: 'message-start',
      id: 9,
      envelope: { from: 'a@example.com', to: ['b@example.com'] },
      eightBit: false,
    });
    harness.feed('250 ok\r\n250 ok\r\n354 go\r\n');
    harness.send({
      type: 'body-chunk',
      id: 9,
      data: new TextEncoder().encode('Subject: t\r\n\r\nhi\r\n'),
      last: true,
    });
  }

  it('a connection lost after the end of data, before the reply, is never reported sent', () => {
    const harness = readySession(['PIPELINING']);
    sendWholeMessage(harness);
    harness.eof();
    expect(harness.events.some((event) => event.type === 'message-accept')).toBe(false);
    const reject = harness.events.find((event) => event.type === 'message-reject');
    expect(reject).toMatchObject({ id: 9, unsent: false });
    const error = (reject as unknown as { error: { isTransient(): boolean; recipients: unknown } }).error;
    // The server may or may not have queued it: a transient error that still says the RCPT was accepted.
    expect(error.isTransient()).toBe(true);
    expect(error.recipients).toEqual({ accepted: ['b@example.com'], rejected: [], unknown: [] });
  });

  it('a 451 to the end of data is a transient rejection, not a send', () => {
    const harness = readySession(['PIPELINING']);
    sendWholeMessage(harness);
    harness.feed('451 4.3.0 try again later\r\n');
    expect(harness.events.some((event) => event.type === 'message-accept')).toBe(false);
    const reject = harness.events.find((event) => event.type === 'message-reject');
    const error = (reject as unknown as { error: { isTransient(): boolean; replyCode: number } }).error;
    expect(error.replyCode).toBe(451);
    expect(error.isTransient()).toBe(true);
  });

  it('a 554 to the end of data is a permanent rejection, not a send', () => {
    const harness = readySession(['PIPELINING']);
    sendWholeMessage(harness);
    harness.feed('554 5.6.0 rejected\r\n');
    expect(harness.events.some((event) => event.type === 'message-accept')).toBe(false);
    const reject = harness.events.find((event) => event.type === 'message-reject');
    const error = (reject as unknown as { error: { isPermanent(): boolean; replyCode: number } }).error;
    expect(error.replyCode).toBe(554);
    expect(error.isPermanent()).toBe(true);
  });
});

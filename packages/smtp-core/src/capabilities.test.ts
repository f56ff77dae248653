// EHLO replies of real servers as fixtures (Postfix, Exim, Gmail, Microsoft 365), parsed into
// structured capabilities: exact keywords, case-insensitive, parameters kept, junk lines set aside.
import { describe, expect, it } from 'vitest';
import { capabilityList, parseCapabilities } from './capabilities';
import { ReplyParser } from './reply-parser';

function parseWhole(bytes: Uint8Array[]) {
  const parser = new ReplyParser();
  let reply = null;
  for (const part of bytes) {
    parser.feed(part);
    reply = reply ?? parser.next();
  }
  if (reply === null) throw new Error('incomplete fixture');
  return parseCapabilities(reply);
}

/** Parses a fixture whole, and checks that every two-way split of its bytes gives the same result. */
function parse(text: string) {
  const bytes = new TextEncoder().encode(text);
  const whole = parseWhole([bytes]);
  for (let cut = 1; cut < bytes.length; cut++) {
    expect(parseWhole([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
  }
  return whole;
}

const fixtures = {
  postfixAfterTls:
    '250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n',
  exim: '250-mx.example.org Hello client.example [192.0.2.1]\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-PIPE_CONNECT\r\n250-CHUNKING\r\n250-STARTTLS\r\n250-PRDR\r\n250 HELP\r\n',
  gmailAfterTls:
    '250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n',
  microsoft365:
    '250-LO2P265CA0078.outlook.office365.com Hello [203.0.113.5]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n',
};

describe('parseCapabilities (RFC 5321 §4.1.1.1)', () => {
  it('reads Postfix after TLS, ignoring the pre-standard AUTH= line', () => {
    const capabilities = parse(fixtures.postfixAfterTls);
    expect(capabilities.domain).toBe('mail.example.com');
    expect(capabilities.auth).toEqual(['PLAIN', 'LOGIN']);
    expect(capabilities.size).toBe(10240000);
    expect(capabilities).toMatchObject({
      pipelining: true,
      chunking: true,
      dsn: true,
      smtpUtf8: true,
      eightBitMime: true,
      starttls: false,
    });
    expect(capabilities.unrecognized).toEqual(['AUTH=PLAIN LOGIN']);
  });

  it('reads Exim, setting aside the non-standard PIPE_CONNECT keyword', () => {
    const capabilities = parse(fixtures.exim);
    expect(capabilities).toMatchObject({ starttls: true, chunking: true, pipelining: true, size: 52428800 });
    expect(capabilities.keywords.has('PRDR')).toBe(true);
    expect(capabilities.unrecognized).toEqual(['PIPE_CONNECT']);
  });

  it('reads Gmail after TLS with XOAUTH2', () => {
    const capabilities = parse(fixtures.gmailAfterTls);
    expect(capabilities.auth).toContain('XOAUTH2');
    expect(capabilities.domain).toBe('smtp.gmail.com');
    expect(capabilities.enhancedStatusCodes).toBe(true);
  });

  it('reads Microsoft 365 before TLS (no AUTH offered yet)', () => {
    const capabilities = parse(fixtures.microsoft365);
    expect(capabilities.starttls).toBe(true);
    expect(capabilities.auth).toEqual([]);
    expect(capabilities.keywords.has('BINARYMIME')).toBe(true);
  });

  it('compares keywords case-insensitively and exactly', () => {
    const capabilities = parse('250-x\r\n250-starttls\r\n250-XPIPELINING\r\n250 auth plain\r\n');
    expect(capabilities.starttls).toBe(true);
    expect(capabilities.pipelining).toBe(false);
    expect(capabilities.auth).toEqual(['PLAIN']);
  });

  it('does not find a keyword in the greeting line or inside another line', () => {
    const capabilities = parse('250-mail STARTTLS PIPELINING\r\n250 SIZE STARTTLS\r\n');
    expect(capabilities.starttls).toBe(false);
    expect(capabilities.pipelining).toBe(false);
    expect(capabilities.size).toBe(0);
  });

  it('lists capabilities for verify()', () => {
    expect(capabilityList(parse('250-x\r\n250-SIZE 10\r\n250 PIPELINING\r\n'))).toEqual([
      'SIZE 10',
      'PIPELINING',
    ]);
  });
});

// MTA-STS (RFC 8461): record and policy parsing, MX matching, discovery with injected I/O, and the
// TLS policy each outcome yields. The TXT record is also parsed after being split into DNS
// character-strings at every position (resolvers return long records in pieces), and discovery never throws.
import { describe, expect, it } from 'vitest';
import {
  discoverMtaStsPolicy,
  type MtaStsResolver,
  mtaStsPolicyUrl,
  tlsPolicyForMx,
} from './mta-sts-discovery';
import { MAXIMUM_POLICY_BYTES, mxMatchesPolicy, parseMtaStsPolicy } from './mta-sts-policy';
import { parseMtaStsRecord, selectMtaStsRecord } from './mta-sts-record';

const POLICY =
  'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.backup.example.net\r\nmax_age: 604800\r\n';

describe('parseMtaStsRecord (RFC 8461 §3.1)', () => {
  it.each([
    ['v=STSv1; id=20160831085700Z;', '20160831085700Z'],
    ['v=STSv1;id=abc', 'abc'],
    ['v=STSv1; id=abc; ext_1=value', 'abc'],
    ['v=STSv1 ; id=abc ;', 'abc'],
  ])('%s -> id %s', (text, id) => {
    expect(parseMtaStsRecord(text)).toEqual({ id });
  });
  it.each([
    'v=STSv2; id=abc;',
    'id=abc; v=STSv1;',
    'v=STSv1;',
    'v=STSv1; id=;',
    'v=STSv1; id=has-dash;',
    `v=STSv1; id=${'a'.repeat(33)};`,
    'v=STSv1; id=a; id=b;',
    'v=STSv1; id=a; =x;',
    'v=STSv1; id=a; bad name=x;',
  ])('%s -> not a record', (text) => {
    expect(parseMtaStsRecord(text)).toBeUndefined();
  });
  it('reads the same record however DNS split it into character-strings', () => {
    const record = 'v=STSv1; id=20260101T000000; ext=1;';
    for (let index = 0; index <= record.length; index += 1) {
      expect(selectMtaStsRecord([[record.slice(0, index), record.slice(index)]])).toEqual({
        id: '20260101T000000',
      });
    }
  });
  it('needs exactly one STSv1 record among the TXT answers, joining split strings', () => {
    expect(selectMtaStsRecord([['v=STSv1; ', 'id=abc;'], ['v=spf1 -all']])).toEqual({ id: 'abc' });
    expect(selectMtaStsRecord([['v=STSv1; id=a;'], ['v=STSv1; id=b;']])).toBeUndefined();
    expect(selectMtaStsRecord([])).toBeUndefined();
  });
});

describe('parseMtaStsPolicy (RFC 8461 §3.2)', () => {
  it('parses a policy with CRLF or LF line ends', () => {
    for (const text of [POLICY, POLICY.replaceAll('\r\n', '\n'), POLICY.trimEnd()]) {
      expect(parseMtaStsPolicy(text)).toEqual({
        valid: true,
        policy: { mode: 'enforce', mx: ['mail.example.com', '*.backup.example.net'], maxAgeSeconds: 604800 },
      });
    }
  });
  it('ignores unknown keys and uses the first of a repeated key', () => {
    const result = parseMtaStsPolicy(`${POLICY}mode: none\r\nfuture_key: x\r\n`);
    expect(result).toMatchObject({ valid: true, policy: { mode: 'enforce' } });
  });
  it('accepts mode none without mx', () => {
    expect(parseMtaStsPolicy('version: STSv1\nmode: none\nmax_age: 0\n')).toMatchObject({ valid: true });
  });
  it.each([
    ['version not first', 'mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 1'],
    ['wrong version', 'version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1'],
    ['unknown mode', 'version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1'],
    ['missing max_age', 'version: STSv1\nmode: enforce\nmx: a.example'],
    ['negative max_age', 'version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1'],
    ['max_age above a year', 'version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601'],
    ['enforce without mx', 'version: STSv1\nmode: enforce\nmax_age: 1'],
    ['wildcard in the middle', 'version: STSv1\nmode: enforce\nmx: mail.*.example\nmax_age: 1'],
    ['not key: value', 'version: STSv1\nmode enforce\nmx: a.example\nmax_age: 1'],
    [
      'oversized',
      `version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nx: ${'y'.repeat(MAXIMUM_POLICY_BYTES)}`,
    ],
  ])('refuses a policy with %s', (_name, text) => {
    expect(parseMtaStsPolicy(text).valid).toBe(false);
  });
});

describe('mxMatchesPolicy (RFC 8461 §4.1)', () => {
  const parsed = parseMtaStsPolicy(POLICY);
  if (!parsed.valid) throw new Error(parsed.reason);
  it.each([
    ['mail.example.com', true],
    ['MAIL.Example.COM.', true],
    ['mx1.backup.example.net', true],
    ['backup.example.net', false],
    ['a.mx1.backup.example.net', false],
    ['evil-mail.example.com', false],
    ['mail.example.com.evil.test', false],
  ])('%s -> %s', (host, expected) => {
    expect(mxMatchesPolicy(parsed.policy, host)).toBe(expected);
  });
});

function resolver(
  overrides: Partial<{ txt: string[][]; status: number; contentType: string; body: string }> = {},
) {
  const requests: string[] = [];
  const fake: MtaStsResolver = {
    async resolveTxt(name) {
      requests.push(`TXT ${name}`);
      return overrides.txt ?? [['v=STSv1; id=20260101;']];
    },
    async fetchPolicy(url) {
      requests.push(`GET ${url}`);
      return {
        status: overrides.status ?? 200,
        contentType: overrides.contentType ?? 'text/plain; charset=utf-8',
        body: overrides.body ?? POLICY,
      };
    },
  };
  return { fake, requests };
}

describe('discoverMtaStsPolicy (RFC 8461 §3.3) with injected I/O', () => {
  it('asks the TXT record, then fetches the well-known URL', async () => {
    const { fake, requests } = resolver();
    const found = await discoverMtaStsPolicy('Example.COM.', fake);
    expect(found).toMatchObject({ found: true, id: '20260101', policy: { mode: 'enforce' } });
    expect(requests).toEqual(['TXT _mta-sts.example.com', `GET ${mtaStsPolicyUrl('example.com')}`]);
    expect(mtaStsPolicyUrl('example.com')).toBe('https://mta-sts.example.com/.well-known/mta-sts.txt');
  });
  it.each([
    ['no record', { txt: [] }, /no single valid/],
    ['a redirect or error status', { status: 301 }, /HTTP 301/],
    ['an HTML page', { contentType: 'text/html' }, /text\/html/],
    ['an invalid body', { body: 'hello' }, /invalid/],
  ])('treats %s as no policy', async (_name, overrides, reason) => {
    const found = await discoverMtaStsPolicy('example.com', resolver(overrides).fake);
    expect(found.found).toBe(false);
    if (!found.found) expect(found.reason).toMatch(reason);
  });
  it('treats a failing resolver or fetcher as no policy instead of throwing', async () => {
    const failing: MtaStsResolver = {
      resolveTxt: () => Promise.reject(new Error('ENOTFOUND')),
      fetchPolicy: () => Promise.reject(new Error('unreachable')),
    };
    await expect(discoverMtaStsPolicy('example.com', failing)).resolves.toMatchObject({ found: false });
    const fetchFails = {
      ...resolver().fake,
      fetchPolicy: () => Promise.reject(new Error('certificate expired')),
    };
    await expect(discoverMtaStsPolicy('example.com', fetchFails)).resolves.toMatchObject({ found: false });
  });
});

describe('tlsPolicyForMx (RFC 8461 §5)', () => {
  const parsed = parseMtaStsPolicy(POLICY);
  if (!parsed.valid) throw new Error(parsed.reason);
  it('requires verified STARTTLS for a listed MX under enforce, checking the MX name', () => {
    expect(tlsPolicyForMx(parsed.policy, 'mail.example.com')).toMatchObject({
      enforced: true,
      policy: { mode: 'require-starttls', trust: 'pkix', serverName: 'mail.example.com' },
    });
  });
  it('stops an MX-record forgery: an unlisted MX under enforce -> MTA_STS_MX_MISMATCH (RFC 8461 §4.1)', () => {
    expect(() => tlsPolicyForMx(parsed.policy, 'mx.attacker.test')).toThrow(
      expect.objectContaining({ code: 'MTA_STS_MX_MISMATCH', kind: 'security' }),
    );
  });
  it('stays opportunistic under testing, none or no policy', () => {
    const testing = { ...parsed.policy, mode: 'testing' as const };
    for (const policy of [testing, undefined]) {
      expect(tlsPolicyForMx(policy, 'mx.attacker.test')).toMatchObject({
        enforced: false,
        policy: { mode: 'opportunistic' },
      });
    }
  });
});

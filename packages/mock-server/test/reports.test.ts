// The report formats: JUnit XML escapes whatever a client prints (it is untrusted text) and keeps one
// testcase per run; the text scorecard says what the client did in words.
import { describe, expect, it } from 'vitest';
import { escapeXml, formatJunit } from '../src/audit/junit-report';
import type { AuditReport, AuditResult } from '../src/audit/run-audit';
import { describeResult, formatScorecard } from '../src/audit/scorecard';

function result(overrides: Partial<AuditResult>): AuditResult {
  return {
    scenarioId: 'starttls-454',
    title: 'STARTTLS answered 454',
    tier: 'high',
    expectation: 'must-refuse',
    mode: 'starttls',
    pass: true,
    outcome: 'refused',
    reasons: [],
    leaks: [],
    smuggling: [],
    delivered: false,
    authenticated: false,
    untrustedTlsBytes: 0,
    connections: 1,
    tls: [],
    exitCode: 1,
    durationMs: 1234,
    ...overrides,
  };
}

const report: AuditReport = {
  client: 'send <"mail"> & exit',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 5000,
  modes: ['starttls'],
  results: [
    result({}),
    result({
      scenarioId: 'starttls-not-advertised',
      pass: false,
      outcome: 'claimed-success',
      delivered: true,
      authenticated: true,
      reasons: [
        'the client reported success where it had to refuse',
        'password (base64-encoded) sent in plaintext on connection 0',
      ],
      leaks: [{ secret: 'password', channel: 'plaintext', encoding: 'base64', connection: 0 }],
      output: 'sent <ok> \u0000\u001b[31m & done',
    }),
  ],
  tiers: {
    high: { passed: 1, failed: 1 },
    medium: { passed: 0, failed: 0 },
    low: { passed: 0, failed: 0 },
    control: { passed: 0, failed: 0 },
  },
  grade: 'fail',
  summary: '1 high-risk scenario(s) failed.',
};

describe('JUnit XML', () => {
  it('escapes markup and drops control characters XML 1.0 cannot carry', () => {
    expect(escapeXml('a<b>&"c"\u0000\u001b\td')).toBe('a&lt;b&gt;&amp;&quot;c&quot;\td');
  });

  it('has one testsuite per tier and one testcase per run, with the reasons as the failure', () => {
    const xml = formatJunit(report);
    expect(xml).toContain(
      '<testsuites name="strictmail-mock audit: send &lt;&quot;mail&quot;&gt; &amp; exit" tests="2" failures="1" time="5.000">',
    );
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml).toContain('<testsuite name="high" tests="2" failures="1" errors="0" time="2.468">');
    expect(xml).toContain(
      '<testcase classname="strictmail-mock.high" name="starttls-454 (starttls)" time="1.234">',
    );
    expect(xml).toContain(
      '<failure type="must-refuse" message="the client reported success where it had to refuse; password (base64-encoded) sent in plaintext on connection 0">',
    );
    expect(xml).toContain('<system-out>sent &lt;ok&gt; [31m &amp; done</system-out>');
  });
});

describe('text scorecard', () => {
  it('says what the client did and what leaked', () => {
    expect(describeResult(report.results[1] as AuditResult)).toBe('sent; leaked password');
    expect(
      describeResult(result({ outcome: 'claimed-success', delivered: true, authenticated: false })),
    ).toBe('sent without AUTH');
    expect(describeResult(result({ outcome: 'hung' }))).toBe('hung (killed)');
    expect(describeResult(result({ untrustedTlsBytes: 12 }))).toBe('refused; used the untrusted TLS session');
  });

  it('lists every run, the tiers and the grade', () => {
    const text = formatScorecard(report);
    expect(text).toMatch(/starttls-454\s+starttls\s+high\s+must-refuse\s+PASS\s+refused/);
    expect(text).toMatch(/high\s+1\s+1/);
    expect(text).toContain('grade: FAIL - 1 high-risk scenario(s) failed. (5.0 s)');
  });
});

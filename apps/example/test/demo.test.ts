// The demo end to end: two verified sends to the embedded mock server, then the whole attack
// catalogue against strictmail and nodemailer, judged by @strictmail/mock-server.
import { describe, expect, it } from 'vitest';
import type { Scorecard } from '../src/demo/scorecard';
import type { VerifiedSend } from '../src/demo/verified-sends';
import { runMain } from './support/run-main';

interface DemoJson {
  readonly ok: boolean;
  readonly sends: VerifiedSend[];
  readonly scorecard: Scorecard;
  readonly durationMs: number;
}

describe('demo', () => {
  it('sends over verified STARTTLS and implicit TLS, and strictmail refuses every attack and leaks nothing', async () => {
    const run = await runMain(['demo', '--json']);
    expect(run.code).toBe(0);
    const demo = JSON.parse(run.stdout) as DemoJson;
    expect(demo.ok).toBe(true);

    const [starttls, implicit] = demo.sends;
    expect(starttls?.client.tls).toMatchObject({
      entry: 'starttls',
      chainVerified: true,
      hostnameVerified: true,
    });
    expect(starttls?.server).toMatchObject({ user: 'demo@strictmail.test', tls: { entry: 'starttls' } });
    // RFC 3207 §4.2: EHLO again after STARTTLS; AUTH and the envelope only inside TLS.
    expect(starttls?.server.commandsBeforeTls).toEqual(['EHLO', 'STARTTLS']);
    expect(starttls?.server.commandsInsideTls).toEqual(['EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA']);
    expect(implicit?.server.commandsBeforeTls).toEqual([]);
    expect(implicit?.client.tls).toMatchObject({
      entry: 'implicit-tls',
      chainVerified: true,
      hostnameVerified: true,
    });
    expect(implicit?.server.tls?.entry).toBe('implicit-tls');
    expect(implicit?.server.text).toContain('crossed a verified TLS session only');

    const { rows, totals } = demo.scorecard;
    expect(rows.length).toBeGreaterThan(20);
    const strictmail = totals.find((total) => total.clientId === 'strictmail');
    expect(strictmail).toMatchObject({
      passed: rows.length,
      total: rows.length,
      leakingRuns: 0,
      grade: 'pass',
    });
    expect(totals.find((total) => total.clientId === 'nodemailer-default')?.grade).toBe('fail');
    for (const row of rows) {
      expect(row.cells.strictmail?.pass, `${row.scenarioId} (${row.mode})`).toBe(true);
      if (row.expectation === 'must-refuse') expect(row.cells.strictmail?.errorCode).toMatch(/^[A-Z_]+$/);
    }
    // The scorecard measures, it does not assume: nodemailer's default (opportunistic STARTTLS) sends
    // the password in plaintext when STARTTLS is stripped (RFC 3207 §4), and the audit sees it.
    const stripped = rows.find((row) => row.scenarioId === 'starttls-not-advertised');
    expect(stripped?.cells['nodemailer-default']).toMatchObject({ pass: false, text: 'password in clear' });
    expect(stripped?.cells.strictmail).toMatchObject({ pass: true, errorCode: 'STARTTLS_STRIPPED' });
    expect(demo.durationMs).toBeLessThan(60_000);
  });

  it('prints the scorecard as a plain table when NO_COLOR is set, even with FORCE_COLOR', async () => {
    const run = await runMain(
      ['demo', '--scenario', 'starttls-not-advertised', '--scenario', 'control-starttls'],
      { NO_COLOR: '1', FORCE_COLOR: '1' },
      true,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout).toMatch(
      /starttls-not-advertised\s+starttls\s+high\s+✔ refused STARTTLS_STRIPPED\s+✖ password in clear/,
    );
    expect(run.stdout).toMatch(/control-starttls\s+starttls\s+control\s+✔ delivered/);
    expect(run.stdout).toContain('2 scenarios, 2 scenario × mode runs per client');
  });

  it('refuses an unknown scenario id as a usage error, naming the known ones', async () => {
    const run = await runMain(['demo', '--scenario', 'no-such-attack']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"no-such-attack"');
    expect(run.stderr).toContain('starttls-not-advertised');
  });

  it('colours a terminal', async () => {
    const run = await runMain(['demo', '--scenario', 'control-starttls'], {}, true);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\u001b[');
  });
});

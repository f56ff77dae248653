// The whole attack catalogue of @strictmail/mock-server against this transport, through nodemailer:
// every attack refused with nothing leaked (RFC 3207 §4 and §6, RFC 8996, RFC 6125, RFC 5321 §4.5.2),
// every control delivered over verified TLS. The verdicts come from the mock server (what the client
// claimed, what crossed the wire, what was delivered). scripts/scorecard.mjs runs the same catalogue
// against nodemailer's own SMTP transport for the README's side-by-side table.
import { listScenarios, startScenario } from '@strictmail/mock-server';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { runCatalogue } from '../scripts/scorecard.mjs';
import { strictmail } from '../src/index';

describe('attack catalogue against @strictmail/nodemailer', () => {
  it('refuses every attack, leaks nothing, delivers every control', async () => {
    const scorecard = await runCatalogue(
      { nodemailer, strictmail, listScenarios, startScenario },
      { clientIds: ['strictmail'] },
    );
    expect(scorecard.rows.length).toBeGreaterThan(10);
    const failures = scorecard.rows
      .map((row) => ({ id: `${row.scenario.id} (${row.mode})`, verdict: row.results.strictmail?.verdict }))
      .filter((entry) => entry.verdict?.pass !== true)
      .map((entry) => `${entry.id}: ${entry.verdict?.reasons.join('; ') ?? 'no verdict'}`);
    expect(failures).toEqual([]);
    for (const row of scorecard.rows) {
      const result = row.results.strictmail;
      expect(result?.verdict.leaks).toEqual([]);
      if (row.scenario.expectation === 'must-refuse') {
        // A refusal is a typed error with nodemailer's code, never a silent success.
        expect(result?.error?.code).toMatch(/^E[A-Z]+$/);
        expect(result?.verdict.delivered).toBe(false);
      } else {
        expect(result?.verdict.delivered).toBe(true);
      }
    }
  }, 120_000);
});

// The whole attack catalogue of @strictmail/mock-server (STARTTLS stripping, refused and forged
// STARTTLS replies, pre-TLS injection, bad certificates, downgrades, smuggling probes) played against
// createClient in both security modes. The client must refuse every attack and deliver every control.
import { readFile } from 'node:fs/promises';
import { type AuditTarget, runAudit } from '@strictmail/mock-server';
import { implicitTls, requireStarttls } from '@strictmail/tls-policy';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/node';

async function strictmailClient(target: AuditTarget): Promise<{ claimedSuccess: boolean }> {
  const environment = target.environment;
  const ca = await readFile(environment.SMTP_CA_FILE, 'utf8');
  const client = createClient({
    host: environment.SMTP_HOST,
    port: Number(environment.SMTP_PORT),
    policy: environment.SMTP_SECURITY === 'implicit' ? implicitTls({ ca }) : requireStarttls({ ca }),
    auth: { user: environment.SMTP_USER, pass: environment.SMTP_PASS },
    timeouts: { greetingMs: 5000, commandMs: 5000, dataEndMs: 5000 },
    pool: false,
  });
  try {
    const body = await readFile(environment.MAIL_BODY_FILE);
    await client.send({ from: environment.MAIL_FROM, to: environment.MAIL_TO.split(',') }, body);
    return { claimedSuccess: true };
  } catch {
    return { claimedSuccess: false };
  } finally {
    await client.close();
  }
}

describe('mock-server audit of createClient', () => {
  it('passes every scenario of the attack catalogue in both modes', async () => {
    const report = await runAudit({ client: strictmailClient, timeoutMs: 15_000 });
    const failed = report.results.filter((result) => !result.pass);
    expect(failed.map((result) => `${result.scenarioId}/${result.mode}: ${JSON.stringify(result)}`)).toEqual(
      [],
    );
    if (process.env.SMTP_CORE_MEASURE)
      console.log(report.summary, report.results.length, JSON.stringify(report.tiers));
    expect(report.grade).toBe('pass');
    expect(report.results.length).toBeGreaterThan(10);
  }, 120_000);
});

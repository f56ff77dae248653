// Verdict details that the catalogue-wide tests do not isolate: a control passes only when the message
// arrives with the envelope the client was given, and must-refuse fails on delivery alone.
import { describe, expect, it } from 'vitest';
import { startScenario } from '../src/attacks/start-scenario';
import { carefulClient, insecureClient } from './helpers/test-clients';

describe('control verdicts need the message intact', () => {
  it('fails a control when the envelope sender differs from MAIL_FROM', async () => {
    await using running = await startScenario('control-starttls');
    const result = await carefulClient({
      ...running,
      secrets: { ...running.secrets, from: 'someone-else@sender.example' },
    });
    const verdict = await running.verdict(result);
    expect(result.claimedSuccess).toBe(true);
    expect(verdict.pass).toBe(false);
    expect(verdict.reasons).toEqual(['the delivered envelope differs from MAIL_FROM and MAIL_TO']);
  });

  it('fails a control when the client claims success but nothing arrived', async () => {
    await using running = await startScenario('control-implicit-tls');
    const verdict = await running.verdict({ claimedSuccess: true });
    expect(verdict.reasons).toEqual([
      'no message carrying the body marker reached the server',
      'no delivered message was authenticated with the given credentials',
      'no TLS session was established',
    ]);
  });
});

describe('must-refuse verdicts', () => {
  it('fail when the message reached the server even though the client then reported failure', async () => {
    await using running = await startScenario('auth-dropped-after-tls');
    const sent = await insecureClient(running);
    expect(sent.claimedSuccess).toBe(true);
    // The same wire traffic, from a client that exited non-zero afterwards (say, on QUIT).
    const verdict = await running.verdict({ claimedSuccess: false, exitCode: 1 });
    expect(verdict.outcome).toBe('refused');
    expect(verdict.reasons).toEqual(['the message reached the server although the client had to refuse']);
  });

  it('pass when the client refused and nothing was sent', async () => {
    await using running = await startScenario('auth-dropped-after-tls');
    const verdict = await running.verdict(await carefulClient(running));
    expect(verdict).toMatchObject({ pass: true, outcome: 'refused', delivered: false, reasons: [] });
  });
});

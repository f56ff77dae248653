// runAudit with in-process clients: the careful client passes and grades `pass`, the insecure one fails,
// a client that never answers is stopped in bounded time and reported as hung, and the grade follows the
// rules (high-risk failure or plaintext leak = fail; control failure = inconclusive).
import { describe, expect, it } from 'vitest';
import { gradeResults, runAudit } from '../src/audit/run-audit';
import type { ScenarioVerdict } from '../src/audit/verdict';
import { carefulClient, insecureClient } from './helpers/test-clients';

const SAMPLE = [
  'starttls-not-advertised',
  'cert-expired',
  'tls12-cbc-only',
  'smuggling-probe',
  'control-starttls',
  'control-implicit-tls',
];

describe('runAudit', () => {
  it('grades a careful client pass, in every mode, with progress for each run', async () => {
    const events: string[] = [];
    const report = await runAudit({
      client: carefulClient,
      scenarios: SAMPLE,
      onProgress: (event) => events.push(event.type),
    });
    expect(report.results.map((result) => `${result.scenarioId}/${result.mode}`)).toEqual([
      'starttls-not-advertised/starttls',
      'cert-expired/starttls',
      'cert-expired/implicit',
      'tls12-cbc-only/starttls',
      'tls12-cbc-only/implicit',
      'smuggling-probe/starttls',
      'smuggling-probe/implicit',
      'control-starttls/starttls',
      'control-implicit-tls/implicit',
    ]);
    expect(report.results.every((result) => result.pass)).toBe(true);
    expect(report.grade).toBe('pass');
    expect(events.filter((type) => type === 'scenario-end')).toHaveLength(9);
  });

  it('grades the insecure client fail and names the high-risk failures', async () => {
    const report = await runAudit({ client: insecureClient, scenarios: SAMPLE, modes: ['starttls'] });
    expect(report.grade).toBe('fail');
    expect(report.tiers.high).toEqual({ passed: 0, failed: 2 });
    expect(report.summary).toMatch(
      /2 high-risk scenario\(s\) failed; secrets crossed in plaintext in 1 scenario run/,
    );
  });

  it('stops a client that never finishes after timeoutMs and reports it as hung', async () => {
    const started = Date.now();
    const report = await runAudit({
      client: () => new Promise(() => undefined),
      scenarios: ['control-starttls'],
      timeoutMs: 200,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.results[0]).toMatchObject({ outcome: 'hung', pass: false });
    expect(report.results[0]?.reasons[0]).toBe('the client did not finish in time');
    expect(report.grade).toBe('inconclusive');
  });

  it('refuses unknown scenario ids and a missing client before running anything', async () => {
    await expect(runAudit({ client: carefulClient, scenarios: ['no-such-attack'] })).rejects.toMatchObject({
      code: 'UNKNOWN_SCENARIO',
    });
    await expect(runAudit({ scenarios: ['control-starttls'] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});

describe('gradeResults', () => {
  const verdict = (tier: ScenarioVerdict['tier'], pass: boolean, plaintextLeak = false) =>
    ({
      tier,
      pass,
      leaks: plaintextLeak
        ? [{ secret: 'password', channel: 'plaintext', encoding: 'raw', connection: 0 }]
        : [],
    }) as unknown as ScenarioVerdict;

  it.each([
    ['all passed', [verdict('high', true), verdict('control', true)], 'pass'],
    ['a medium failure alone', [verdict('medium', false), verdict('control', true)], 'pass'],
    ['a high failure', [verdict('high', false), verdict('control', true)], 'fail'],
    [
      'a plaintext leak in a medium scenario',
      [verdict('medium', false, true), verdict('control', true)],
      'fail',
    ],
    ['a failed control', [verdict('high', true), verdict('control', false)], 'inconclusive'],
    ['no control at all', [verdict('high', true)], 'inconclusive'],
  ] as const)('%s -> %s', (_name, results, grade) => {
    expect(gradeResults(results).grade).toBe(grade);
  });
});

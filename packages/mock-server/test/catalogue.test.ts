// The catalogue as data: stable kebab-case ids, the scenarios issue 5 asks for, consistent tiers and
// expectations, and a README table that says the same as the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findScenario, listScenarios } from '../src/attacks/catalogue';
import { startScenario } from '../src/attacks/start-scenario';

const REQUIRED_IDS = [
  'starttls-not-advertised',
  'starttls-454',
  'starttls-502',
  'starttls-530',
  'starttls-354',
  'starttls-421-close',
  'starttls-250',
  'ehlo-refused-helo-only',
  'inject-after-220-lines',
  'inject-after-220-partial',
  'cert-self-signed',
  'cert-untrusted-root',
  'cert-expired',
  'cert-not-yet-valid',
  'cert-wrong-host',
  'cert-cn-only',
  'cert-weak-key',
  'cert-sha1-signature',
  'tls10-only',
  'tls11-only',
  'tls12-cbc-only',
  'tls12-static-rsa-only',
  'auth-dropped-after-tls',
  'auth-plaintext-only',
  'smuggling-probe',
  'control-starttls',
  'control-implicit-tls',
  'control-tls13-only',
];

describe('the attack catalogue', () => {
  it('has exactly the scenarios of issue 5, with unique kebab-case ids', () => {
    const ids = listScenarios().map((scenario) => scenario.id);
    expect(ids).toEqual(REQUIRED_IDS);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('controls must succeed, every attack must be refused, and every scenario names a mode', () => {
    for (const scenario of listScenarios()) {
      expect(scenario.modes.length).toBeGreaterThan(0);
      if (scenario.tier === 'control') expect(scenario.expectation).toBe('must-succeed');
      else if (scenario.id !== 'smuggling-probe') expect(scenario.expectation).toBe('must-refuse');
      expect(scenario.description.length).toBeGreaterThan(40);
    }
  });

  it('rejects an unknown id and a mode the scenario does not support', async () => {
    expect(findScenario('no-such-attack')).toBeUndefined();
    await expect(startScenario('no-such-attack')).rejects.toMatchObject({ code: 'UNKNOWN_SCENARIO' });
    await expect(startScenario('control-implicit-tls', { mode: 'starttls' })).rejects.toMatchObject({
      code: 'MODE_NOT_SUPPORTED',
    });
  });

  it('the README table states the same tier, expectation, modes and description as the code', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    // Rows of the catalogue table, whatever the column padding a formatter gives them.
    const rows = new Map(
      readme
        .split('\n')
        .filter((line) => /^\|\s*`[a-z0-9-]+`\s*\|/.test(line))
        .map((line) =>
          line
            .split(/(?<!\\)\|/)
            .slice(1, -1)
            .map((cell) => cell.trim()),
        )
        .filter((cells) => cells.length === 5)
        .map((cells) => [cells[0], cells.slice(1)] as const),
    );
    for (const scenario of listScenarios()) {
      expect(rows.get(`\`${scenario.id}\``)).toEqual([
        scenario.tier,
        scenario.expectation,
        scenario.modes.join(', '),
        scenario.description,
      ]);
    }
  });
});

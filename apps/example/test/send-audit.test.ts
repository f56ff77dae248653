// The built bin under `strictmail-mock audit`, exactly as a user would score it: the auditor runs
// `strictmail-example send` once per scenario with the client command contract's environment variables
// and judges it by its exit code and by what reached the wire. This runs one scenario of each attack
// class (the full catalogue runs in-process in demo.test.ts; the README shows a full audit).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from './support/run-main';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const exampleCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const mockServerRoot = dirname(require.resolve('@strictmail/mock-server/package.json'));
const mockServerBin = join(
  mockServerRoot,
  (JSON.parse(readFileSync(join(mockServerRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> })
    .bin['strictmail-mock'] ?? 'dist/cli.js',
);

/** One scenario per attack class, plus the controls that prove the client can deliver at all. */
const SCENARIOS = [
  'starttls-not-advertised',
  'starttls-454',
  'ehlo-refused-helo-only',
  'inject-after-220-lines',
  'cert-untrusted-root',
  'cert-wrong-host',
  'tls11-only',
  'auth-plaintext-only',
  'smuggling-probe',
  'control-starttls',
  'control-implicit-tls',
];

interface AuditReport {
  readonly grade: string;
  readonly results: readonly {
    scenarioId: string;
    mode: string;
    pass: boolean;
    reasons: string[];
    output?: string;
  }[];
}

const reports = temporaryDirectory();
afterAll(() => reports.remove());

describe('send under strictmail-mock audit', () => {
  it('passes every scenario run against the built bin: attacks refused, nothing leaked, controls delivered', async () => {
    expect(existsSync(exampleCli), 'run `tsup` first (the package test script does)').toBe(true);
    expect(existsSync(mockServerBin), 'build @strictmail/mock-server first').toBe(true);
    const command = `"${process.execPath}" "${exampleCli}" send`;
    const { stdout } = await run(
      process.execPath,
      [
        mockServerBin,
        'audit',
        '--cmd',
        command,
        '--scenarios',
        SCENARIOS.join(','),
        '--concurrency',
        '4',
        '--report-dir',
        reports.path,
        '--json',
      ],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the audit failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const report = JSON.parse(stdout) as AuditReport;
    const failures = report.results.filter((result) => !result.pass);
    expect(failures, JSON.stringify(failures, null, 2)).toEqual([]);
    expect(report.grade).toBe('pass');
    expect(new Set(report.results.map((result) => result.scenarioId))).toEqual(new Set(SCENARIOS));
    // A refusal is explained to the user: the reason and what to do are in what the bin printed.
    const stripped = report.results.find((result) => result.scenarioId === 'starttls-not-advertised');
    expect(stripped?.output).toContain('STARTTLS_STRIPPED');
    expect(stripped?.output).toContain('What to do:');
  });
});

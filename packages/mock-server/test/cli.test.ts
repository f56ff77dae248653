// The `strictmail-mock` bin end to end, as another project would use it: the built dist/cli.js, a real
// client in another language (Python's smtplib, examples/clients/python-smtplib.py) under the client
// command contract, real reports on disk. CI builds before testing; run `pnpm --filter
// @strictmail/mock-server build` first when running this file alone.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../src/attacks/catalogue';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const PYTHON_CLIENT = fileURLToPath(new URL('../examples/clients/python-smtplib.py', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

let reports: string;
beforeAll(async () => {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} does not exist: run \`pnpm --filter @strictmail/mock-server build\` before this test.`,
    );
  }
  reports = await mkdtemp(join(tmpdir(), 'strictmail-cli-test-'));
});
afterAll(async () => {
  await rm(reports, { recursive: true, force: true });
});

describe('strictmail-mock list', () => {
  it('prints the whole catalogue as JSON', async () => {
    const run = await cli(['list', '--json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { id: string }[];
    expect(listed.map((scenario) => scenario.id)).toEqual(SCENARIOS.map((scenario) => scenario.id));
  });

  it('serve --list prints one line per scenario', async () => {
    const run = await cli(['serve', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(SCENARIOS.length);
  });
});

describe('strictmail-mock audit', () => {
  it('scores Python smtplib on stripping, certificate and control scenarios in one mode, writing JSON and JUnit reports', async () => {
    const directory = join(reports, 'python');
    const run = await cli([
      'audit',
      '--cmd',
      `python3 ${PYTHON_CLIENT}`,
      '--scenarios',
      'starttls-not-advertised,cert-self-signed,control-starttls,control-implicit-tls',
      '--modes',
      'starttls',
      '--report-dir',
      directory,
      '--json',
    ]);
    const report = JSON.parse(run.stdout) as {
      grade: string;
      results: { scenarioId: string; mode: string; pass: boolean }[];
    };
    // --modes starttls leaves out cert-self-signed (implicit) and control-implicit-tls (implicit only).
    expect(report.results.map((result) => [result.scenarioId, result.mode, result.pass])).toEqual([
      ['starttls-not-advertised', 'starttls', true],
      ['cert-self-signed', 'starttls', true],
      ['control-starttls', 'starttls', true],
    ]);
    expect(report.grade).toBe('pass');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\[1\/3\] PASS/);
    const saved = JSON.parse(await readFile(join(directory, 'strictmail-audit.json'), 'utf8')) as {
      grade: string;
    };
    expect(saved.grade).toBe('pass');
    const junit = await readFile(join(directory, 'strictmail-audit.junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(3);
    expect(junit).toContain('tests="3" failures="0"');
  });

  it('fails (exit 1) a client that claims success without sending, with a readable scorecard', async () => {
    const run = await cli([
      'audit',
      '--cmd',
      'exit 0',
      '--scenarios',
      'starttls-not-advertised,control-starttls',
      '--report-dir',
      join(reports, 'liar'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /starttls-not-advertised\s+starttls\s+high\s+must-refuse\s+FAIL\s+claimed success/,
    );
    expect(run.stdout).toMatch(/control-starttls\s+starttls\s+control\s+must-succeed\s+FAIL/);
    expect(run.stdout).toMatch(/grade: FAIL/);
    const junit = await readFile(join(reports, 'liar', 'strictmail-audit.junit.xml'), 'utf8');
    expect(junit).toContain(
      '<failure type="must-refuse" message="the client reported success where it had to refuse">',
    );
  });

  it('kills a hung client and its children after --timeout-ms and reports it', async () => {
    const started = Date.now();
    const run = await cli([
      'audit',
      '--cmd',
      'sleep 30 & sleep 30',
      '--scenarios',
      'control-starttls',
      '--timeout-ms',
      '300',
      '--report-dir',
      join(reports, 'hung'),
      '--json',
    ]);
    // Had the background `sleep` survived, it would hold the output pipe open for 30 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { results: { outcome: string; signal: string | null }[] };
    expect(report.results[0]).toMatchObject({ outcome: 'hung', signal: 'SIGKILL' });
  });

  it('rejects a missing --cmd and an unknown scenario with exit code 2', async () => {
    const missing = await cli(['audit']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("audit needs --cmd '<client command>'");
    const unknown = await cli([
      'audit',
      '--cmd',
      'true',
      '--scenarios',
      'no-such-attack',
      '--report-dir',
      reports,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No attack scenario has the id "no-such-attack"');
  });
});

describe('strictmail-mock serve', () => {
  it('prints one ready line, serves a real client, and reports what it saw when stopped', async () => {
    const server: ChildProcess = spawn(
      process.execPath,
      [CLI, 'serve', '--scenario', 'control-starttls', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    server.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
    const [first] = (await once(lines, 'line')) as [string];
    const ready = JSON.parse(first) as {
      host: string;
      port: number;
      security: string;
      caFile: string;
      bodyFile: string;
      secrets: { user: string; password: string; from: string; to: string[]; subject: string };
    };
    expect(ready).toMatchObject({ host: '127.0.0.1', security: 'starttls' });
    const client = spawn('python3', [PYTHON_CLIENT], {
      stdio: 'ignore',
      env: {
        ...process.env,
        SMTP_HOST: ready.host,
        SMTP_PORT: String(ready.port),
        SMTP_SECURITY: ready.security,
        SMTP_CA_FILE: ready.caFile,
        SMTP_USER: ready.secrets.user,
        SMTP_PASS: ready.secrets.password,
        MAIL_FROM: ready.secrets.from,
        MAIL_TO: ready.secrets.to.join(','),
        MAIL_SUBJECT: ready.secrets.subject,
        MAIL_BODY_FILE: ready.bodyFile,
      },
    });
    const [clientCode] = (await once(client, 'close')) as [number];
    expect(clientCode).toBe(0);
    server.kill('SIGTERM');
    const [serverCode] = (await once(server, 'close')) as [number];
    expect(serverCode).toBe(0);
    const stopped = JSON.parse(stderr.trim().split('\n').at(-1) ?? '{}') as {
      delivered: number;
      plaintextLeaks: unknown[];
    };
    expect(stopped).toMatchObject({ delivered: 1, leaks: [] });
    expect(existsSync(ready.caFile)).toBe(false);
  });
});

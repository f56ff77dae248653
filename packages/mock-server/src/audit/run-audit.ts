// The audit: every scenario of the catalogue, in every requested mode, against one client, with bounded
// concurrency and a bounded time per scenario. Each run gets its own endpoint, secrets, CA file and body
// file; the client is a shell command (the client command contract) or an in-process function.
// Grade: `fail` if any high-risk scenario failed or any run sent a secret in plaintext; `inconclusive` if none did but a control failed (a
// client that cannot deliver to a correct server proves nothing by refusing); `pass` otherwise.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listScenarios } from '../attacks/catalogue';
import { ScenarioError } from '../attacks/scenario-error';
import type { RiskTier, Scenario, SecurityMode } from '../attacks/scenario-types';
import { type RunningScenario, startScenario } from '../attacks/start-scenario';
import type { CertificateAuthority } from '../certificates/authority';
import { type ClientEnvironment, runClientCommand } from './command-client';
import type { ClientResult, ScenarioVerdict } from './verdict';

/** Default time a client gets per scenario (20 s: longer than any sane client's own connect and
 * greeting timeouts, short enough that a full audit of a hanging client ends in minutes). */
export const DEFAULT_CLIENT_TIMEOUT_MS = 20_000;

/** Default number of scenarios run at once (2: one per core of a small CI runner). */
export const DEFAULT_CONCURRENCY = 2;

export const ALL_MODES: readonly SecurityMode[] = ['starttls', 'implicit'];

/** What an in-process client gets: the running scenario, plus the files and variables of the contract. */
export interface AuditTarget extends RunningScenario {
  readonly caFile: string;
  readonly bodyFile: string;
  readonly environment: ClientEnvironment;
}

export type AuditProgress =
  | { readonly type: 'start'; readonly total: number }
  | {
      readonly type: 'scenario-start';
      readonly scenarioId: string;
      readonly mode: SecurityMode;
      readonly index: number;
      readonly total: number;
    }
  | {
      readonly type: 'scenario-end';
      readonly verdict: AuditResult;
      readonly index: number;
      readonly total: number;
    };

export interface AuditOptions {
  /** A shell command run once per scenario (spawned with `shell: true`). Give this or `client`. */
  readonly command?: string;
  /** An in-process client; resolves with what it claims. Give this or `command`. */
  readonly client?: (target: AuditTarget) => Promise<ClientResult>;
  /** Default both. */
  readonly modes?: readonly SecurityMode[];
  /** Only these scenario ids. Default: the whole catalogue. */
  readonly scenarios?: readonly string[];
  /** Per scenario. Default `DEFAULT_CLIENT_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
  /** Default `DEFAULT_CONCURRENCY`. */
  readonly concurrency?: number;
  readonly onProgress?: (event: AuditProgress) => void;
  /** The CA the client is told to trust. Default: the process-wide throw-away CA. */
  readonly authority?: CertificateAuthority;
}

/** A verdict plus what the client printed (command clients only). */
export interface AuditResult extends ScenarioVerdict {
  readonly output?: string;
  readonly signal?: string | null;
}

export interface TierSummary {
  readonly passed: number;
  readonly failed: number;
}

export type AuditGrade = 'pass' | 'fail' | 'inconclusive';

export interface AuditReport {
  readonly client: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly modes: readonly SecurityMode[];
  readonly results: readonly AuditResult[];
  readonly tiers: Readonly<Record<RiskTier, TierSummary>>;
  readonly grade: AuditGrade;
  /** One sentence explaining the grade. */
  readonly summary: string;
}

function selectRuns(options: AuditOptions): [Scenario, SecurityMode][] {
  const modes = options.modes ?? ALL_MODES;
  const known = new Set(listScenarios().map((scenario) => scenario.id));
  for (const id of options.scenarios ?? []) {
    if (!known.has(id)) {
      throw new ScenarioError(
        'UNKNOWN_SCENARIO',
        `No attack scenario has the id "${id}". Run \`strictmail-mock list\` for the catalogue.`,
      );
    }
  }
  return listScenarios()
    .filter((scenario) => options.scenarios === undefined || options.scenarios.includes(scenario.id))
    .flatMap((scenario) =>
      modes
        .filter((mode) => scenario.modes.includes(mode))
        .map((mode): [Scenario, SecurityMode] => [scenario, mode]),
    );
}

function environmentFor(running: RunningScenario, caFile: string, bodyFile: string): ClientEnvironment {
  return {
    SMTP_HOST: running.host,
    SMTP_PORT: String(running.port),
    SMTP_SECURITY: running.security,
    SMTP_CA_FILE: caFile,
    SMTP_USER: running.secrets.user,
    SMTP_PASS: running.secrets.password,
    MAIL_FROM: running.secrets.from,
    MAIL_TO: running.secrets.to.join(','),
    MAIL_SUBJECT: running.secrets.subject,
    MAIL_BODY_FILE: bodyFile,
  };
}

async function runOne(
  scenario: Scenario,
  mode: SecurityMode,
  directory: string,
  options: AuditOptions,
  timeoutMs: number,
): Promise<AuditResult> {
  const running = await startScenario(scenario.id, {
    mode,
    ...(options.authority ? { authority: options.authority } : {}),
  });
  try {
    await mkdir(directory, { recursive: true });
    const caFile = join(directory, 'ca.pem');
    const bodyFile = join(directory, 'body.txt');
    await writeFile(caFile, running.ca);
    await writeFile(bodyFile, running.secrets.body);
    const environment = environmentFor(running, caFile, bodyFile);
    if (options.command !== undefined) {
      const result = await runClientCommand(options.command, environment, timeoutMs);
      return { ...(await running.verdict(result)), output: result.output, signal: result.signal };
    }
    const client = options.client as NonNullable<AuditOptions['client']>;
    const started = Date.now();
    const result = await withTimeout(client({ ...running, caFile, bodyFile, environment }), timeoutMs);
    return running.verdict({ ...result, durationMs: result.durationMs ?? Date.now() - started });
  } finally {
    await running.close();
  }
}

async function withTimeout(attempt: Promise<ClientResult>, timeoutMs: number): Promise<ClientResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ClientResult>((resolve) => {
    timer = setTimeout(() => resolve({ claimedSuccess: false, timedOut: true }), timeoutMs);
  });
  try {
    return await Promise.race([attempt.catch((): ClientResult => ({ claimedSuccess: false })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function gradeResults(results: readonly ScenarioVerdict[]): {
  tiers: Record<RiskTier, TierSummary>;
  grade: AuditGrade;
  summary: string;
} {
  const tiers: Record<RiskTier, { passed: number; failed: number }> = {
    high: { passed: 0, failed: 0 },
    medium: { passed: 0, failed: 0 },
    low: { passed: 0, failed: 0 },
    control: { passed: 0, failed: 0 },
  };
  for (const result of results) {
    if (result.pass) tiers[result.tier].passed += 1;
    else tiers[result.tier].failed += 1;
  }
  // A secret in plaintext is readable by anyone on the path, whatever the scenario's tier. (Secrets sent
  // into a weak or untrusted TLS session are judged by the scenario's tier: how weak depends on it.)
  const leaking = results.filter((result) =>
    result.leaks.some((leak) => leak.channel === 'plaintext'),
  ).length;
  if (tiers.high.failed > 0 || leaking > 0) {
    const parts = [
      tiers.high.failed > 0 ? `${tiers.high.failed} high-risk scenario(s) failed` : '',
      leaking > 0 ? `secrets crossed in plaintext in ${leaking} scenario run(s)` : '',
    ].filter((part) => part !== '');
    return { tiers, grade: 'fail', summary: `${parts.join('; ')}.` };
  }
  if (tiers.control.failed > 0 || tiers.control.passed === 0) {
    return {
      tiers,
      grade: 'inconclusive',
      summary:
        'No high-risk scenario failed, but the client did not deliver to every correct server (control), so its refusals prove nothing.',
    };
  }
  return {
    tiers,
    grade: 'pass',
    summary: `Every high-risk scenario passed and every control delivered (${tiers.medium.failed} medium, ${tiers.low.failed} low-risk failure(s)).`,
  };
}

/** Runs the audit and returns the report. Throws `ScenarioError` for a bad option before running anything. */
export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  if ((options.command === undefined) === (options.client === undefined)) {
    throw new ScenarioError(
      'INVALID_OPTION',
      'runAudit needs exactly one of `command` (a shell command) or `client` (a function); got ' +
        (options.command === undefined ? 'neither.' : 'both.'),
    );
  }
  const runs = selectRuns(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const startedAt = new Date();
  const workDirectory = await mkdtemp(join(tmpdir(), 'strictmail-audit-'));
  const results: AuditResult[] = new Array(runs.length);
  options.onProgress?.({ type: 'start', total: runs.length });
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const index = next;
      next += 1;
      const [scenario, mode] = runs[index] as [Scenario, SecurityMode];
      options.onProgress?.({
        type: 'scenario-start',
        scenarioId: scenario.id,
        mode,
        index,
        total: runs.length,
      });
      const result = await runOne(
        scenario,
        mode,
        join(workDirectory, `${index}-${scenario.id}-${mode}`),
        options,
        timeoutMs,
      );
      results[index] = result;
      options.onProgress?.({ type: 'scenario-end', verdict: result, index, total: runs.length });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, runs.length) }, worker));
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
  const graded = gradeResults(results);
  return {
    client: options.command ?? 'in-process client',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    modes: options.modes ?? ALL_MODES,
    results,
    ...graded,
  };
}

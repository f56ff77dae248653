// Runs the attack catalogue of @strictmail/mock-server against every demo client, through the mock
// server's own `runAudit` with each client in-process, and collects its verdicts and grades. Rule:
// the verdicts are the audit's (what the client claimed, what crossed the wire, what was delivered);
// this file only adapts each client to the audit and remembers the error code it refused with.
import {
  type AuditGrade,
  type AuditResult,
  type AuditTarget,
  listScenarios,
  runAudit,
} from '@strictmail/mock-server';
import { ConfigurationError } from '@strictmail/tls-policy';
import type { DemoClient } from './demo-clients';

/** Runs in flight per client; the three audits run side by side, so 6 at once keep 2 cores busy. */
export const CONCURRENCY_PER_CLIENT = 2;
/** A client that has not settled after 20 s is recorded as hung (the audit's own default limit). */
export const CLIENT_DEADLINE_MS = 20_000;

export interface CatalogueRun {
  readonly clientId: DemoClient['id'];
  readonly verdict: AuditResult;
  /** The code of the error the client refused with (strictmail's own code when there is one). */
  readonly errorCode: string | undefined;
}

export interface ClientAudit {
  readonly clientId: DemoClient['id'];
  readonly grade: AuditGrade;
  readonly summary: string;
}

export interface CatalogueOptions {
  readonly clients: readonly DemoClient[];
  /** Only these scenario ids (default: the whole catalogue). */
  readonly scenarioIds?: readonly string[] | undefined;
  readonly onProgress?: ((done: number, total: number, label: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

function errorCodeOf(error: unknown): string | undefined {
  const fields = error as { strictmailCode?: unknown; code?: unknown };
  if (typeof fields?.strictmailCode === 'string') return fields.strictmailCode;
  return typeof fields?.code === 'string' ? fields.code : undefined;
}

/** The in-process client the audit calls once per scenario run. */
function auditClient(
  client: DemoClient,
  errorCodes: Map<string, string | undefined>,
  signal: AbortSignal | undefined,
) {
  return async (target: AuditTarget) => {
    const deadline = AbortSignal.timeout(CLIENT_DEADLINE_MS);
    try {
      await client.send(
        {
          host: target.host,
          port: target.port,
          security: target.security,
          ca: target.ca,
          user: target.secrets.user,
          password: target.secrets.password,
          from: target.secrets.from,
          to: target.secrets.to,
          subject: target.secrets.subject,
          body: target.secrets.body,
        },
        signal === undefined ? deadline : AbortSignal.any([deadline, signal]),
      );
      return { claimedSuccess: true };
    } catch (error) {
      errorCodes.set(`${target.scenario.id}/${target.security}`, errorCodeOf(error));
      return { claimedSuccess: false, timedOut: deadline.aborted };
    }
  };
}

/** Throws a ConfigurationError (a usage error) naming the ids the catalogue does not have. */
export function validateScenarioIds(scenarioIds: readonly string[]): void {
  const known = new Set(listScenarios().map((scenario) => scenario.id));
  const unknown = scenarioIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `demo: no scenario has the id ${unknown.map((id) => JSON.stringify(id)).join(', ')}; expected one of ${[
        ...known,
      ].join(', ')}.`,
    );
  }
}

export async function runCatalogue(
  options: CatalogueOptions,
): Promise<{ runs: CatalogueRun[]; audits: ClientAudit[] }> {
  validateScenarioIds(options.scenarioIds ?? []);
  let total = 0;
  let done = 0;
  const reports = await Promise.all(
    options.clients.map(async (client) => {
      const errorCodes = new Map<string, string | undefined>();
      const report = await runAudit({
        client: auditClient(client, errorCodes, options.signal),
        ...(options.scenarioIds === undefined ? {} : { scenarios: options.scenarioIds }),
        concurrency: CONCURRENCY_PER_CLIENT,
        timeoutMs: CLIENT_DEADLINE_MS,
        onProgress: (event) => {
          if (event.type === 'start') total += event.total;
          if (event.type !== 'scenario-end') return;
          done += 1;
          const { verdict } = event;
          options.onProgress?.(done, total, `${client.label} × ${verdict.scenarioId} (${verdict.mode})`);
        },
      });
      return { client, report, errorCodes };
    }),
  );
  return {
    runs: reports.flatMap(({ client, report, errorCodes }) =>
      report.results.map((verdict) => ({
        clientId: client.id,
        verdict,
        errorCode: errorCodes.get(`${verdict.scenarioId}/${verdict.mode}`),
      })),
    ),
    audits: reports.map(({ client, report }) => ({
      clientId: client.id,
      grade: report.grade,
      summary: report.summary,
    })),
  };
}

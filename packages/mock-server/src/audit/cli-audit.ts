// `strictmail-mock audit --cmd '<client command>'`: the whole catalogue against one client command.
// Progress goes to stderr while it runs; the scorecard (or the JSON report with --json) to stdout; JSON
// and JUnit XML reports to --report-dir. Exit code 0 only for grade `pass`, so the audit can gate CI.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SecurityMode } from '../attacks/scenario-types';
import { formatJunit } from './junit-report';
import { type AuditProgress, type AuditReport, runAudit } from './run-audit';
import { describeResult, formatScorecard } from './scorecard';

export interface AuditCommandOptions {
  readonly command: string;
  readonly modes?: readonly SecurityMode[];
  readonly scenarios?: readonly string[];
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly json: boolean;
  readonly reportDirectory: string;
}

export const JSON_REPORT_NAME = 'strictmail-audit.json';
export const JUNIT_REPORT_NAME = 'strictmail-audit.junit.xml';

function progressLine(event: AuditProgress): string | undefined {
  if (event.type === 'start') return `strictmail-mock: running ${event.total} scenario runs`;
  if (event.type !== 'scenario-end') return undefined;
  const { verdict } = event;
  const width = String(event.total).length;
  const counter = `[${String(event.index + 1).padStart(width)}/${event.total}]`;
  const time = verdict.durationMs === undefined ? '' : ` ${verdict.durationMs} ms`;
  return `${counter} ${verdict.pass ? 'PASS' : 'FAIL'} ${verdict.scenarioId} (${verdict.mode})${time}: ${describeResult(verdict)}`;
}

export async function audit(options: AuditCommandOptions): Promise<number> {
  const report: AuditReport = await runAudit({
    command: options.command,
    ...(options.modes === undefined ? {} : { modes: options.modes }),
    ...(options.scenarios === undefined ? {} : { scenarios: options.scenarios }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    onProgress: (event) => {
      const line = progressLine(event);
      if (line !== undefined) process.stderr.write(`${line}\n`);
    },
  });
  const directory = resolve(options.reportDirectory);
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, JSON_REPORT_NAME), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(directory, JUNIT_REPORT_NAME), formatJunit(report));
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatScorecard(report)}\n`);
  process.stderr.write(
    `reports: ${join(directory, JSON_REPORT_NAME)}, ${join(directory, JUNIT_REPORT_NAME)}\n`,
  );
  return report.grade === 'pass' ? 0 : 1;
}

// Renders a run as Markdown: one table per workload (median with min–max over repetitions), the
// strictmail / nodemailer ratios, and the targets. The same text is printed and written to reports/.
import { formatNumber, formatSummary } from '../statistics';
import type { ProfileReport } from '../workloads/profile-missed';
import { METRICS, type ResultRow, type WorkloadDefinition } from '../workloads/results';
import type { Ratio, TargetVerdict } from './targets';

export interface RunDescription {
  readonly mode: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: string;
  readonly load: string;
  readonly sinks: readonly { name: string; description: string }[];
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function workloadTable(definition: WorkloadDefinition, rows: readonly ResultRow[]): string {
  const headers = ['client', 'sink', ...definition.columns.map((name) => METRICS[name].label)];
  const body = rows.map((row) => {
    const client = row.client?.label ?? '@strictmail/mock-server';
    if (row.status !== 'measured') {
      const text =
        row.status === 'unavailable' ? `not available yet: ${row.reason}` : `failed: ${row.reason}`;
      return [client, row.sink, text, ...definition.columns.slice(1).map(() => '')];
    }
    return [client, row.sink, ...definition.columns.map((name) => formatSummary(row.metrics[name]))];
  });
  return table(headers, body);
}

export function ratioTable(ratios: readonly Ratio[]): string {
  const shown = ratios.filter((ratio) => ratio.value !== undefined);
  if (shown.length === 0) return 'No ratio: no strictmail client was measured in this run.';
  return table(
    ['workload', 'sink', 'metric', 'strictmail client', 'nodemailer client', 'strictmail / nodemailer'],
    shown.map((ratio) => [
      ratio.workload,
      ratio.sink,
      METRICS[ratio.metric].label,
      ratio.numerator,
      ratio.denominator,
      formatNumber(ratio.value!),
    ]),
  );
}

export function targetTable(verdicts: readonly TargetVerdict[]): string {
  return table(
    ['target', 'client', 'measured', 'status'],
    verdicts.map((verdict) => [verdict.target, verdict.client, verdict.measured, verdict.status]),
  );
}

export function renderMarkdown(
  run: RunDescription,
  workloads: readonly WorkloadDefinition[],
  rows: readonly ResultRow[],
  ratios: readonly Ratio[],
  verdicts: readonly TargetVerdict[],
  notes: readonly string[],
): string {
  const sections = [
    `# strictmail benchmark (${run.mode})`,
    '',
    `Started ${run.startedAt}, took ${run.durationSeconds.toFixed(0)} s. Machine: ${run.machine}; ${run.load}.`,
    'Each figure is the median over repetitions (a fresh process per client and repetition), with min–max in brackets.',
    '',
    '## Sinks',
    '',
    ...run.sinks.map((sink) => `- \`${sink.name}\`: ${sink.description}`),
  ];
  for (const definition of workloads) {
    const workloadRows = rows.filter((row) => row.workload === definition.id);
    if (workloadRows.length === 0) continue;
    sections.push(
      '',
      `## ${definition.title}`,
      '',
      definition.description,
      '',
      workloadTable(definition, workloadRows),
    );
  }
  sections.push('', '## Ratios strictmail / nodemailer (same run, medians)', '', ratioTable(ratios));
  sections.push('', '## Targets', '', targetTable(verdicts));
  if (notes.length > 0) sections.push('', '## Notes', '', ...notes.map((note) => `- ${note}`));
  return `${sections.join('\n')}\n`;
}

/** The `--profile` section: where the CPU went for each missed CPU-bound target. */
export function renderProfiles(profiles: readonly ProfileReport[]): string {
  if (profiles.length === 0) return '';
  const sections = ['', '## Profiles of missed targets', ''];
  for (const { verdict, file, summary } of profiles) {
    const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
    sections.push(
      `### ${verdict.client}: ${verdict.target} (measured ${verdict.measured})`,
      '',
      `${summary.totalMs.toFixed(0)} ms of CPU samples in \`${file.split('/').slice(-2).join('/')}\`.`,
      '',
      table(
        ['origin', 'self ms', 'share'],
        summary.origins.map((entry) => [entry.name, entry.selfMs.toFixed(0), percent(entry.share)]),
      ),
      '',
      table(
        ['function', 'self ms', 'share'],
        summary.functions.map((entry) => [
          `\`${entry.name}\``,
          entry.selfMs.toFixed(0),
          percent(entry.share),
        ]),
      ),
      '',
    );
  }
  return `${sections.join('\n')}\n`;
}

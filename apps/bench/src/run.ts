// `npm run bench [-- --full]`: starts the sinks, runs every workload with every client (each in a
// fresh process, alternating), prints one table per workload, the strictmail / nodemailer ratios and
// the targets, and writes reports/bench-<time>.json and .md (plus reports/latest.*).
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createCertificateAuthority, issueCertificate } from '@strictmail/mock-server/certificates';
import { type BenchOptions, parseOptions } from './options';
import { describeLoad, describeMachine } from './report/machine';
import { renderMarkdown, renderProfiles, workloadTable } from './report/markdown';
import { computeRatios, evaluateTargets } from './report/targets';
import { startFastSink } from './sink/fast-sink';
import { BENCH_CREDENTIALS, type Sink } from './sink/sink';
import { startSmtpServerSink } from './sink/smtp-server-sink';
import { WORKLOADS } from './workloads/definitions';
import { type ProfileReport, profileMissedTargets } from './workloads/profile-missed';
import type { ResultRow } from './workloads/results';
import { type SuiteContext, WORKLOAD_RUNNERS } from './workloads/workloads';

const REPORTS_DIRECTORY = fileURLToPath(new URL('../reports/', import.meta.url));

async function startSinks(keys: Parameters<typeof startSmtpServerSink>[0]): Promise<SuiteContext['sinks']> {
  return {
    fast: await startFastSink({ ...keys, chunking: true }),
    fastData: await startFastSink({ ...keys, chunking: false }),
    smtpServer: await startSmtpServerSink(keys),
  };
}

async function main(options: BenchOptions): Promise<void> {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const authority = await createCertificateAuthority({ commonName: 'strictmail bench CA' });
  const leaf = await issueCertificate(authority, { hosts: ['127.0.0.1', 'localhost'] });
  const keys = {
    certificatePem: leaf.certificatePem,
    privateKeyPem: leaf.privateKeyPem,
    ...BENCH_CREDENTIALS,
  };
  const sinks = await startSinks(keys);
  const context: SuiteContext = { options, sinks, caPem: authority.certificatePem, log };
  const rows: ResultRow[] = [];
  let loadBefore = describeLoad();
  try {
    log(`strictmail bench, ${options.mode} mode: ${describeMachine()}, ${describeLoad()}`);
    loadBefore = describeLoad();
    for (const [id, runWorkload] of Object.entries(WORKLOAD_RUNNERS)) {
      if (options.only.length > 0 && !options.only.some((name) => id.includes(name))) continue;
      const workloadRows = await runWorkload(context);
      rows.push(...workloadRows);
      process.stdout.write(
        `\n## ${WORKLOADS[id]!.title}\n\n${workloadTable(WORKLOADS[id]!, workloadRows)}\n`,
      );
    }
  } finally {
    await Promise.all(Object.values(sinks).map((sink: Sink) => sink.close()));
  }
  const ratios = computeRatios(rows);
  const verdicts = evaluateTargets(rows);
  const profiles: ProfileReport[] = [];
  if (options.profile) {
    const restarted = await startSinks(keys);
    try {
      profiles.push(
        ...(await profileMissedTargets(
          { ...context, sinks: restarted },
          verdicts,
          `${REPORTS_DIRECTORY}profiles`,
        )),
      );
    } finally {
      await Promise.all(Object.values(restarted).map((sink: Sink) => sink.close()));
    }
  }
  const startedAt = new Date(started).toISOString();
  const description = {
    mode: options.mode,
    startedAt,
    durationSeconds: (Date.now() - started) / 1000,
    machine: describeMachine(),
    load: `${loadBefore} at the start, ${describeLoad()} at the end`,
    sinks: Object.values(sinks).map((sink) => ({ name: sink.name, description: sink.description })),
  };
  const notes = unavailableNotes(rows);
  const markdown =
    renderMarkdown(description, Object.values(WORKLOADS), rows, ratios, verdicts, notes) +
    renderProfiles(profiles);
  const json = JSON.stringify(
    { ...description, options, rows, ratios, targets: verdicts, notes, profiles },
    null,
    2,
  );
  await mkdir(REPORTS_DIRECTORY, { recursive: true });
  const stamp = startedAt.replace(/[:.]/g, '-');
  await writeFile(`${REPORTS_DIRECTORY}bench-${stamp}.md`, markdown);
  await writeFile(`${REPORTS_DIRECTORY}bench-${stamp}.json`, `${json}\n`);
  await writeFile(`${REPORTS_DIRECTORY}latest.md`, markdown);
  await writeFile(`${REPORTS_DIRECTORY}latest.json`, `${json}\n`);
  const tail = markdown.slice(markdown.indexOf('## Ratios'));
  process.stdout.write(`\n${tail}\nReport: ${REPORTS_DIRECTORY}bench-${stamp}.md (and .json)\n`);
}

function unavailableNotes(rows: readonly ResultRow[]): string[] {
  const reasons = new Map<string, string>();
  for (const row of rows) {
    if (row.status === 'unavailable' && row.client !== null) reasons.set(row.client.kind, row.reason ?? '');
    if (row.status === 'unavailable' && row.client === null) reasons.set('mock-server', row.reason ?? '');
  }
  return [...reasons].map(
    ([kind, reason]) => `${kind}: not available yet (${reason}); no number is shown for it.`,
  );
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
main(options).catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

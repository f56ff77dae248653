// `--profile`: re-runs the strictmail client behind each missed CPU-bound target (throughput, cold,
// harness) once under `node --cpu-prof` and summarises where its CPU time went. Round-trip and RSS
// targets are not CPU questions; docs/benchmarks.md explains how those were diagnosed.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CLIENT_SPECS, type ClientSpec } from '../clients/client-specs';
import { type CpuProfile, type ProfileSummary, summarizeProfile } from '../report/cpu-profile';
import type { TargetVerdict } from '../report/targets';
import type { JobWork } from '../runner/job';
import { runJob } from '../runner/run-job';
import type { Sink } from '../sink/sink';
import { BENCH_CREDENTIALS } from '../sink/sink';
import { coldWork, type SuiteContext, throughputWork } from './workloads';

export interface ProfileReport {
  readonly verdict: TargetVerdict;
  readonly file: string;
  readonly summary: ProfileSummary;
}

function plan(
  context: SuiteContext,
  verdict: TargetVerdict,
  client: ClientSpec,
): { work: JobWork; sink: Sink | undefined } | undefined {
  switch (verdict.workload) {
    case 'throughput':
      return { work: throughputWork(context.options, client), sink: context.sinks.fast };
    case 'cold':
      return { work: coldWork(context.options), sink: context.sinks.fast };
    case 'harness':
      return { work: { type: 'harness', iterations: context.options.harnessIterations }, sink: undefined };
    default:
      return undefined;
  }
}

export async function profileMissedTargets(
  context: SuiteContext,
  verdicts: readonly TargetVerdict[],
  directory: string,
): Promise<ProfileReport[]> {
  await mkdir(directory, { recursive: true });
  const reports: ProfileReport[] = [];
  const profiled = new Set<string>();
  for (const verdict of verdicts) {
    if (verdict.status !== 'missed') continue;
    // Two targets on one workload (cold: loopback and 20 ms) need one profile of that client.
    const key = `${verdict.workload}/${verdict.client}`;
    if (profiled.has(key)) continue;
    profiled.add(key);
    const client =
      Object.values(CLIENT_SPECS).find((spec) => spec.id === verdict.client) ?? CLIENT_SPECS.coreNoPool;
    const steps = plan(context, verdict, client);
    if (steps === undefined) continue;
    context.log(`profiling ${client.id} for "${verdict.target}"`);
    const before = new Set(await readdir(directory));
    const sink = steps.sink ?? context.sinks.fast;
    const outcome = await runJob(
      {
        client,
        target: { host: sink.host, port: sink.port, caPem: context.caPem, ...BENCH_CREDENTIALS },
        work: steps.work,
      },
      steps.sink,
      { execArgv: ['--cpu-prof', `--cpu-prof-dir=${directory}`] },
    );
    if (outcome.status !== 'measured') {
      context.log(`  profile run ${outcome.status}: ${outcome.reason}`);
      continue;
    }
    const file = await newestProfile(directory, before);
    if (file === undefined) continue;
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    reports.push({ verdict, file, summary: summarizeProfile(profile) });
  }
  return reports;
}

/** The profile the child wrote on exit; it may appear a moment after the child's last IPC message. */
async function newestProfile(directory: string, before: ReadonlySet<string>): Promise<string | undefined> {
  for (let attempt = 0; attempt < PROFILE_WAIT_ATTEMPTS; attempt++) {
    const fresh = (await readdir(directory)).filter(
      (name) => name.endsWith('.cpuprofile') && !before.has(name),
    );
    if (fresh.length > 0) {
      const withTimes = await Promise.all(
        fresh.map(async (name) => ({ name, time: (await stat(join(directory, name))).mtimeMs })),
      );
      withTimes.sort((left, right) => right.time - left.time);
      return join(directory, withTimes[0]!.name);
    }
    await new Promise((resolve) => setTimeout(resolve, PROFILE_WAIT_STEP_MS));
  }
  return undefined;
}

/** The child writes its profile while exiting, after its result: poll up to 10 s for the file. */
const PROFILE_WAIT_ATTEMPTS = 100;
const PROFILE_WAIT_STEP_MS = 100;

// Summarises a V8 .cpuprofile (as written by `node --cpu-prof`): self time per function and per
// origin (a package, Node's internals, or the program), so a missed target can name where the CPU went.

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: readonly ProfileEntry[];
  readonly origins: readonly ProfileEntry[];
}

/** Where a function comes from: `nodemailer`, `@strictmail/smtp-core`, `node:internal`, `(gc)`, ... */
export function originOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const workspace = /\/packages\/([a-z-]+)\//.exec(url);
  if (workspace !== null) return `@strictmail/${workspace[1]}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.includes('/apps/bench/')) return 'bench harness';
  return url;
}

function top(map: Map<string, number>, totalMs: number, limit: number): ProfileEntry[] {
  return [...map]
    .sort((left, right) => right[1] - left[1])
    .slice(0, limit)
    .map(([name, selfMs]) => ({ name, selfMs, share: totalMs === 0 ? 0 : selfMs / totalMs }));
}

export function summarizeProfile(profile: CpuProfile, limit = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfById = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    // Each sample's time is the delta to the next sample (V8's convention for timeDeltas[i + 1]).
    for (let index = 0; index < samples.length; index++) {
      const next = deltas[index + 1] ?? 0;
      selfById.set(samples[index]!, (selfById.get(samples[index]!) ?? 0) + next / 1000);
    }
  } else {
    const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, totalHits(profile));
    for (const node of profile.nodes) selfById.set(node.id, (node.hitCount ?? 0) * interval);
  }
  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  let totalMs = 0;
  for (const [id, selfMs] of selfById) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    totalMs += selfMs;
    const origin = originOf(url, functionName);
    const file = url.split('/').pop() ?? '';
    const where = url === '' ? '' : ` (${origin} ${file}:${lineNumber + 1})`;
    const name = `${functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + selfMs);
    origins.set(origin, (origins.get(origin) ?? 0) + selfMs);
  }
  return { totalMs, functions: top(functions, totalMs, limit), origins: top(origins, totalMs, limit) };
}

function totalHits(profile: CpuProfile): number {
  return profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
}

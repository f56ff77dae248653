// One line describing where the numbers were taken: CPU model, cores, memory, OS, Node version, and the
// load average (other work on a 2-core machine moves every figure; the report must say so).
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

export function describeMachine(): string {
  const processors = cpus();
  const model = processors[0]?.model.trim() ?? 'unknown CPU';
  const memoryGb = (totalmem() / 1024 ** 3).toFixed(1);
  return `${processors.length} cores (${model}), ${memoryGb} GB RAM, ${platform()} ${release()}, Node ${process.versions.node}, OpenSSL ${process.versions.openssl}`;
}

/** The 1-minute load average, formatted; above the core count, other processes competed for CPU. */
export function describeLoad(): string {
  return `load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`;
}

// Runs the CLI in-process (the sources, not dist) and captures what it prints. The built bin is
// exercised separately, under `strictmail-mock audit`, in send-audit.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runMain(
  argv: readonly string[],
  environment: Record<string, string | undefined> = {},
  tty = false,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: tty },
    stderr: { write: (text: string) => (stderr += text), isTTY: tty },
    environment,
  });
  return { code, stdout, stderr };
}

/** A temporary directory for CA and body files, removed by the returned function. */
export function temporaryDirectory(): {
  path: string;
  file: (name: string, content: string) => string;
  remove: () => void;
} {
  const path = mkdtempSync(join(tmpdir(), 'strictmail-example-'));
  return {
    path,
    file: (name, content) => {
      const file = join(path, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

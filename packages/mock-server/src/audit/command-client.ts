// Runs a client under audit as a shell command, under the client command contract of ARCHITECTURE.md:
// the scenario is described only through environment variables, and the client is judged by its exit
// code (0 = "I sent it"). A client that outlives its time is killed with its whole process group
// (it runs detached, so `sh -c` and everything it started go together) and reported as hung.
import { spawn } from 'node:child_process';
import type { ClientResult } from './verdict';

/** Output kept per run for the report (last 8 KiB of stdout and stderr together: enough for a stack trace). */
export const OUTPUT_TAIL_BYTES = 8192;

/** The contract's variables for one scenario run. */
export interface ClientEnvironment {
  readonly SMTP_HOST: string;
  readonly SMTP_PORT: string;
  readonly SMTP_SECURITY: 'starttls' | 'implicit';
  readonly SMTP_CA_FILE: string;
  readonly SMTP_USER: string;
  readonly SMTP_PASS: string;
  readonly MAIL_FROM: string;
  /** Several addresses are separated by commas. */
  readonly MAIL_TO: string;
  readonly MAIL_SUBJECT: string;
  readonly MAIL_BODY_FILE: string;
}

export interface CommandResult extends ClientResult {
  /** The signal that ended the client, when it did not exit on its own. */
  readonly signal: string | null;
  /** The end of what the client printed (stdout and stderr interleaved). */
  readonly output: string;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/** Runs `command` once with `environment` added to this process's environment. */
export function runClientCommand(
  command: string,
  environment: ClientEnvironment,
  timeoutMs: number,
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...environment },
    });
    let output = Buffer.alloc(0);
    const keep = (chunk: Buffer) => {
      output = Buffer.concat([output, chunk]);
      if (output.length > OUTPUT_TAIL_BYTES) output = output.subarray(output.length - OUTPUT_TAIL_BYTES);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    let exited: { code: number | null; signal: string | null } | undefined;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      clearTimeout(timer);
      // Anything the client left running in its group goes too: it must not outlive its scenario
      // (and must not hold our pipes open).
      killGroup(child.pid);
    });
    const finish = (exitCode: number | null, signal: string | null, extra = '') => {
      clearTimeout(timer);
      killGroup(child.pid);
      resolve({
        claimedSuccess: exitCode === 0 && !timedOut,
        exitCode,
        signal,
        timedOut,
        durationMs: Date.now() - started,
        output: output.toString('utf8') + extra,
      });
    };
    child.on('error', (error) => finish(null, null, `\n[strictmail-mock] could not start: ${error.message}`));
    child.on('close', (code, signal) => finish(exited?.code ?? code, exited?.signal ?? signal));
  });
}

#!/usr/bin/env node
// The `strictmail-mock` command: the attack catalogue for SMTP clients in any language.
//   strictmail-mock list [--json]                       the catalogue (also `serve --list`)
//   strictmail-mock serve --scenario ID [--mode M] [--port 0] [--json]
//   strictmail-mock audit --cmd '<client command>' [--modes starttls,implicit] [--scenarios a,b]
//                         [--timeout-ms N] [--concurrency N] [--report-dir DIR] [--json]
// Exit codes: 0 success (audit: grade pass), 1 audit failed or inconclusive, 2 usage or setup error.
import { parseArgs } from 'node:util';
import { listScenarios } from './attacks/catalogue';
import { ScenarioError } from './attacks/scenario-error';
import type { SecurityMode } from './attacks/scenario-types';
import { audit } from './audit/cli-audit';
import { serve } from './audit/cli-serve';

const USAGE = `usage:
  strictmail-mock list [--json]
  strictmail-mock serve --scenario ID [--mode starttls|implicit] [--port 0] [--json]
  strictmail-mock serve --list [--json]
  strictmail-mock audit --cmd '<client command>' [--modes starttls,implicit] [--scenarios ID,ID]
                        [--timeout-ms 20000] [--concurrency 2] [--report-dir strictmail-audit] [--json]

The audited command runs once per scenario with SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_CA_FILE,
SMTP_USER, SMTP_PASS, MAIL_FROM, MAIL_TO, MAIL_SUBJECT and MAIL_BODY_FILE set; exit code 0 means
"I sent the message". audit exits 0 only when every high-risk scenario passed and every control delivered.`;

/** Where `audit` writes its reports unless told otherwise (relative to the working directory). */
const DEFAULT_REPORT_DIRECTORY = 'strictmail-audit';

class UsageError extends Error {}

function parseModes(value: string | undefined): SecurityMode[] | undefined {
  if (value === undefined) return undefined;
  const modes = value.split(',').map((mode) => mode.trim());
  for (const mode of modes) {
    if (mode !== 'starttls' && mode !== 'implicit') {
      throw new UsageError(`--modes takes starttls, implicit or both (comma-separated); got "${mode}".`);
    }
  }
  return modes as SecurityMode[];
}

function parseInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new UsageError(`--${name} takes a non-negative integer; got "${value}".`);
  }
  return number;
}

function printCatalogue(json: boolean): void {
  const scenarios = listScenarios();
  if (json) {
    process.stdout.write(`${JSON.stringify(scenarios, null, 2)}\n`);
    return;
  }
  const width = Math.max(...scenarios.map((scenario) => scenario.id.length));
  for (const scenario of scenarios) {
    process.stdout.write(
      `${scenario.id.padEnd(width)}  ${scenario.tier.padEnd(7)}  ${scenario.expectation.padEnd(12)}  ${scenario.modes.join(',').padEnd(17)}  ${scenario.title}\n`,
    );
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      scenario: { type: 'string' },
      mode: { type: 'string' },
      port: { type: 'string' },
      cmd: { type: 'string' },
      modes: { type: 'string' },
      scenarios: { type: 'string' },
      'timeout-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'report-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'list' || (command === 'serve' && values.list)) {
    printCatalogue(values.json);
    return 0;
  }
  if (command === 'serve') {
    if (values.scenario === undefined) throw new UsageError('serve needs --scenario ID (or --list).');
    const mode = parseModes(values.mode)?.[0];
    const port = parseInteger('port', values.port);
    const controller = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
    return serve(
      {
        scenario: values.scenario,
        json: values.json,
        ...(mode === undefined ? {} : { mode }),
        ...(port === undefined ? {} : { port }),
      },
      controller.signal,
    );
  }
  if (command === 'audit') {
    if (values.cmd === undefined || values.cmd.trim() === '') {
      throw new UsageError("audit needs --cmd '<client command>'.");
    }
    const modes = parseModes(values.modes);
    const timeoutMs = parseInteger('timeout-ms', values['timeout-ms']);
    const concurrency = parseInteger('concurrency', values.concurrency);
    return audit({
      command: values.cmd,
      json: values.json,
      reportDirectory: values['report-dir'] ?? DEFAULT_REPORT_DIRECTORY,
      ...(modes === undefined ? {} : { modes }),
      ...(values.scenarios === undefined
        ? {}
        : { scenarios: values.scenarios.split(',').map((id) => id.trim()) }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(concurrency === undefined ? {} : { concurrency }),
    });
  }
  throw new UsageError(`unknown command "${command}".`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      process.stderr.write(`strictmail-mock: ${(error as Error).message}\n\n${USAGE}\n`);
    } else if (ScenarioError.isInstance(error)) {
      process.stderr.write(`strictmail-mock: ${error.message}\n`);
    } else {
      process.stderr.write(`strictmail-mock: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 2;
  },
);

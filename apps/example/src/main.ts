// The whole CLI as one testable function: argv and streams in, exit code out. Rule: every error ends
// here as a message that says what happened and what to do, with the exit code of its kind
// (2 for usage and configuration, 1 for everything else); a stack trace is a bug.
import { ConfigurationError } from '@strictmail/tls-policy';
import {
  type Command,
  type Environment,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  parseCommandArguments,
} from './command';
import { checkCommand } from './commands/check';
import { demoCommand } from './commands/demo';
import { sendCommand } from './commands/send';
import { createOutput, type TextSink } from './output/output';
import { renderError } from './output/render-error';

export const COMMANDS: readonly Command[] = [sendCommand, demoCommand, checkCommand];

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: strictmail-example <command> [options]',
    '',
    'The strictmail reference app: send mail only over verified TLS, and prove it.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Common options: --json (machine-readable output), --no-color, --help.',
    'Colour follows NO_COLOR / FORCE_COLOR and is off when stdout is not a terminal.',
    'Run `strictmail-example <command> --help` for the options of a command.',
  ].join('\n');
}

export interface MainIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly environment: Environment;
  readonly signal?: AbortSignal | undefined;
}

export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${topLevelHelp()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  const json = rest.includes('--json');
  const output = createOutput({
    stdout: io.stdout,
    stderr: io.stderr,
    json,
    environment: io.environment,
    noColour: rest.includes('--no-color'),
  });
  if (command === undefined) {
    output.note(`strictmail-example: unknown command ${JSON.stringify(name)}.\n\n${topLevelHelp()}`);
    return EXIT_USAGE;
  }
  try {
    const parsed = parseCommandArguments(command, rest);
    if (parsed.values.help === true) {
      io.stdout.write(`${command.help}\n`);
      return EXIT_OK;
    }
    return await command.run(parsed, { output, environment: io.environment, signal: io.signal });
  } catch (error) {
    output.endProgress();
    const rendered = renderError(error, output.palette);
    if (json) output.result({ ok: false, error: rendered.json });
    else for (const line of rendered.lines) output.note(line);
    return ConfigurationError.isInstance(error) ? EXIT_USAGE : EXIT_FAILED;
  }
}

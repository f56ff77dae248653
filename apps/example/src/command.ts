// What every subcommand is: a name, its help text, its flags (node:util parseArgs, no dependency) and
// a `run` that returns the exit code. Rule: a command never calls process.exit and never reads
// process.env itself; both come through the context, so tests run commands in-process.
import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigurationError } from '@strictmail/tls-policy';
import type { Output } from './output/output';

/** 0: done (sent, or a secure configuration exists); 1: refused or failed; 2: bad usage or configuration. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export type Environment = Readonly<Record<string, string | undefined>>;

export interface CommandContext {
  readonly output: Output;
  readonly environment: Environment;
  readonly signal?: AbortSignal | undefined;
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArguments {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

export interface Command {
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  readonly options: OptionSpecs;
  run(parsed: ParsedArguments, context: CommandContext): Promise<number>;
}

/** The flags every command accepts. */
export const COMMON_OPTIONS: OptionSpecs = {
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Parses argv strictly: an unknown flag is a usage error, never silently ignored. */
export function parseCommandArguments(command: Command, argv: readonly string[]): ParsedArguments {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${command.name}: ${(error as Error).message}. Run \`strictmail-example ${command.name} --help\`.`,
      { cause: error },
    );
  }
}

/** A string flag, or `undefined` when absent. */
export function stringValue(parsed: ParsedArguments, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string flag as a list. */
export function stringList(parsed: ParsedArguments, name: string): string[] {
  const value = parsed.values[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function booleanValue(parsed: ParsedArguments, name: string): boolean {
  return parsed.values[name] === true;
}

/** Reads a file named on the command line; a missing or unreadable file is a usage error. */
export function readTextFile(path: string, what: string, commandName: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${commandName}: cannot read ${what} ${JSON.stringify(path)}: ${(error as Error).message}.`,
      { cause: error },
    );
  }
}

// When to colour, decided once per stream. Rule: colour only a terminal, and let the user win:
// NO_COLOR (https://no-color.org, any non-empty value) turns colour off, FORCE_COLOR turns it on
// (`0`/`false` off), `TERM=dumb` and non-TTY streams (pipes, files, CI logs) get plain text.
// The escape codes come from node:util `styleText`, so no colour dependency is needed.
import { styleText } from 'node:util';

export interface ColourEnvironment {
  readonly NO_COLOR?: string | undefined;
  readonly FORCE_COLOR?: string | undefined;
  readonly TERM?: string | undefined;
}

/** Whether text written to a stream with this TTY state should carry ANSI colour. */
export function shouldColour(environment: ColourEnvironment, isTty: boolean): boolean {
  if (environment.NO_COLOR !== undefined && environment.NO_COLOR !== '') return false;
  const force = environment.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (environment.TERM === 'dumb') return false;
  return isTty;
}

type Format = Parameters<typeof styleText>[0];

/** The handful of roles human output uses; each is the identity when colour is off. */
export interface Palette {
  readonly ok: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly heading: (text: string) => string;
  readonly code: (text: string) => string;
}

export function createPalette(enabled: boolean): Palette {
  const role =
    (format: Format) =>
    (text: string): string =>
      enabled ? styleText(format, text) : text;
  return {
    ok: role('green'),
    bad: role(['bold', 'red']),
    warn: role('yellow'),
    dim: role('dim'),
    bold: role('bold'),
    heading: role(['bold', 'cyan']),
    code: role('cyan'),
  };
}

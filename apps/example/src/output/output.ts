// Where a command's output goes. Rule: stdout carries the result (human text, or exactly one JSON
// document with --json); stderr carries progress and diagnostics, so `--json | jq` always works.
// Progress redraws one line on a terminal and prints plain lines elsewhere (CI logs, pipes).
import { type ColourEnvironment, createPalette, type Palette, shouldColour } from './colour';

/** The part of a stream this module needs; `process.stdout` fits, and so does a test buffer. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface Output {
  /** `true` with --json: human lines are dropped and `result` prints the one JSON document. */
  readonly json: boolean;
  /** Whether progress redraws one terminal line (so frequent updates cost nothing to the reader). */
  readonly liveProgress: boolean;
  readonly palette: Palette;
  /** A line of human output on stdout (nothing in JSON mode). */
  line(text?: string): void;
  /** A diagnostic line on stderr, in both modes. */
  note(text: string): void;
  /** The JSON document of a --json run, on stdout (nothing in human mode). */
  result(value: unknown): void;
  /** Shows what is running now; on a terminal the next call or `line` replaces it. */
  progress(text: string): void;
  /** Clears a pending progress line. */
  endProgress(): void;
}

export interface OutputOptions {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly json: boolean;
  readonly environment: ColourEnvironment;
  /** `--no-color` on the command line. */
  readonly noColour?: boolean;
}

const CLEAR_LINE = '\r\u001b[2K';

export function createOutput(options: OutputOptions): Output {
  const { stdout, stderr, json } = options;
  const colour =
    !json && options.noColour !== true && shouldColour(options.environment, stdout.isTTY === true);
  const palette = createPalette(colour);
  const liveProgress = stderr.isTTY === true && !json;
  let progressShown = false;

  const endProgress = (): void => {
    if (progressShown) stderr.write(CLEAR_LINE);
    progressShown = false;
  };

  return {
    json,
    liveProgress,
    palette,
    line(text = '') {
      if (json) return;
      endProgress();
      stdout.write(`${text}\n`);
    },
    note(text) {
      endProgress();
      stderr.write(`${text}\n`);
    },
    result(value) {
      if (!json) return;
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    progress(text) {
      if (liveProgress) {
        stderr.write(`${CLEAR_LINE}${palette.dim(text)}`);
        progressShown = true;
      } else if (!json) {
        stderr.write(`${text}\n`);
      }
    },
    endProgress,
  };
}

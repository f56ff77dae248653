// An SMTP reply as structured data (lettre's `Response`): the three-digit code, the enhanced status
// code when the server uses them (RFC 3463, RFC 2034), and the text of every line.
// Rule: callers decide on `code` and the predicates, never by matching reply text.

/** An RFC 3463 enhanced status code, e.g. `5.1.1`. */
export interface EnhancedStatusCode {
  readonly class: 2 | 4 | 5;
  readonly subject: number;
  readonly detail: number;
}

export class Reply {
  /** The three-digit reply code (RFC 5321 §4.2). */
  readonly code: number;
  /** The enhanced status code of the first line, when present and consistent with `code`. */
  readonly enhancedCode: EnhancedStatusCode | null;
  /** The text of each line after the code and separator (the enhanced code, if any, included). */
  readonly lines: readonly string[];

  constructor(code: number, lines: readonly string[], enhancedCode: EnhancedStatusCode | null = null) {
    this.code = code;
    this.lines = lines;
    this.enhancedCode = enhancedCode;
  }

  /** 2yz: the command succeeded (RFC 5321 §4.2.1). */
  isPositive(): boolean {
    return this.code >= 200 && this.code < 300;
  }

  /** 3yz: the server waits for more (354 to DATA, 334 to AUTH). */
  isIntermediate(): boolean {
    return this.code >= 300 && this.code < 400;
  }

  /** 4yz: a transient failure; the same command may succeed later. */
  isTransient(): boolean {
    return this.code >= 400 && this.code < 500;
  }

  /** 5yz: a permanent failure; repeating the command unchanged will fail again. */
  isPermanent(): boolean {
    return this.code >= 500 && this.code < 600;
  }

  /** The enhanced code as text (`5.1.1`), or undefined. */
  get enhancedCodeText(): string | undefined {
    const enhanced = this.enhancedCode;
    return enhanced === null ? undefined : `${enhanced.class}.${enhanced.subject}.${enhanced.detail}`;
  }

  /** All lines joined by newlines, in the form `250 text` per line. */
  get text(): string {
    return this.lines.map((line) => (line === '' ? `${this.code}` : `${this.code} ${line}`)).join('\n');
  }

  /** The text of all lines without the enhanced code prefix, joined by spaces. */
  get message(): string {
    return this.lines.map((line) => stripEnhancedCode(line)).join(' ');
  }

  toString(): string {
    return this.text;
  }
}

const ENHANCED_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})(?: |$)/;

/**
 * Parses an RFC 3463 enhanced status code at the start of `text`. RFC 2034 §4: the class must equal
 * the first digit of the reply code, otherwise it is not an enhanced code (it is ordinary text).
 */
export function parseEnhancedCode(code: number, text: string): EnhancedStatusCode | null {
  const match = ENHANCED_CODE.exec(text);
  if (match === null) return null;
  const statusClass = Number(match[1]) as 2 | 4 | 5;
  if (statusClass !== Math.floor(code / 100)) return null;
  return { class: statusClass, subject: Number(match[2]), detail: Number(match[3]) };
}

function stripEnhancedCode(line: string): string {
  const match = ENHANCED_CODE.exec(line);
  return match === null ? line : line.slice(match[0].length);
}

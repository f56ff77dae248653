// Reads the raw data phase a client sent and reports what a receiving server could misread: bare CR and
// bare LF (RFC 5321 §2.3.8 allows only CRLF), lines starting with an unstuffed dot (RFC 5321 §4.5.2), and
// any line-ending/dot/line-ending sequence other than the final CRLF.CRLF, which lenient receivers take as
// an early end of data (SMTP smuggling: CVE-2023-51764, CVE-2023-51765, CVE-2023-51766).
import { type ConnectionRecord, clientStream } from '../attacks/wire-record';

export type SmugglingFindingKind = 'bare-lf' | 'bare-cr' | 'unstuffed-dot' | 'early-end-of-data';

export interface SmugglingFinding {
  readonly kind: SmugglingFindingKind;
  readonly connection: number;
  /** Offset into that data phase. */
  readonly offset: number;
  /** The bytes around it, JSON-escaped so CR and LF are visible. */
  readonly excerpt: string;
}

const FINAL_TERMINATOR = '\r\n.\r\n';
const EXCERPT_RADIUS = 12;

function excerpt(text: string, offset: number): string {
  return JSON.stringify(text.slice(Math.max(0, offset - EXCERPT_RADIUS), offset + EXCERPT_RADIUS));
}

/** Findings in one data phase (`body` = the bytes after `354`, up to and including the final `.CRLF`). */
export function analyseDataPhase(body: string, connection: number): SmugglingFinding[] {
  const findings: SmugglingFinding[] = [];
  // The CRLF that ended the DATA command line comes first, so a dot on the first body line counts too.
  const text = `\r\n${body}`;
  const finalAt = text.lastIndexOf(FINAL_TERMINATOR);
  const add = (kind: SmugglingFindingKind, at: number) =>
    findings.push({ kind, connection, offset: Math.max(0, at - 2), excerpt: excerpt(text, at) });
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\n' && text[index - 1] !== '\r') add('bare-lf', index);
    if (char === '\r' && text[index + 1] !== '\n') add('bare-cr', index);
  }
  for (const match of text.matchAll(/(\r\n|\r|\n)\.(\r\n|\r|\n)/g)) {
    if (match.index !== finalAt) add('early-end-of-data', match.index);
  }
  for (const match of text.matchAll(/\r\n\.(?=[^.\r\n])/g)) add('unstuffed-dot', match.index);
  return findings;
}

/** Every data phase of every connection: the findings, and how many data phases there were. */
export function probeDataPhases(connections: readonly ConnectionRecord[]): {
  dataPhases: number;
  findings: SmugglingFinding[];
} {
  const findings: SmugglingFinding[] = [];
  let dataPhases = 0;
  for (const record of connections) {
    const stream = clientStream(record).toString('latin1');
    record.dataStarts.forEach((start, position) => {
      const limit = record.dataStarts[position + 1] ?? stream.length;
      const segment = stream.slice(start, limit);
      // `end` is in the coordinates of CRLF + segment; the body ends 3 bytes (".\r\n") after it, minus 2.
      const end = `\r\n${segment}`.lastIndexOf(FINAL_TERMINATOR);
      if (end === -1) return; // The client never finished this data phase: nothing was delivered from it.
      dataPhases += 1;
      findings.push(...analyseDataPhase(segment.slice(0, end + FINAL_TERMINATOR.length - 2), record.index));
    });
  }
  return { dataPhases, findings };
}

// The smuggling probe on hand-made data phases (SMTP smuggling, CVE-2023-51764/51765/51766): each unsafe
// sequence is reported with its kind, and a CRLF-only, dot-stuffed body is reported clean.
import { describe, expect, it } from 'vitest';
import { createConnectionRecord, recordClientBytes } from '../src/attacks/wire-record';
import { analyseDataPhase, probeDataPhases } from '../src/audit/smuggling-probe';

const kinds = (body: string) => [...new Set(analyseDataPhase(body, 0).map((finding) => finding.kind))].sort();

describe('the raw data phase must be CRLF-only and dot-stuffed (RFC 5321 §2.3.8, §4.5.2)', () => {
  it('a clean, stuffed body has no finding', () => {
    expect(kinds('Subject: x\r\n\r\n..leading dot\r\n..\r\nend\r\n.\r\n')).toEqual([]);
  });

  it('an empty body (just the terminator) has no finding', () => {
    expect(kinds('.\r\n')).toEqual([]);
  });

  it.each([
    ['bare LF', 'a\nb\r\n.\r\n', ['bare-lf']],
    ['bare CR', 'a\rb\r\n.\r\n', ['bare-cr']],
    ['unstuffed leading dot', 'a\r\n.dot\r\n.\r\n', ['unstuffed-dot']],
    ['unstuffed dot on the first line', '.dot\r\n.\r\n', ['unstuffed-dot']],
    ['CRLF.CRLF before the end', 'a\r\n.\r\nMAIL FROM:<x@y>\r\n.\r\n', ['early-end-of-data']],
    ['LF.LF (CVE-2023-51764)', 'a\n.\nMAIL FROM:<x@y>\r\n.\r\n', ['bare-lf', 'early-end-of-data']],
    ['CR.CR', 'a\r.\rMAIL FROM:<x@y>\r\n.\r\n', ['bare-cr', 'early-end-of-data']],
    ['CRLF.LF', 'a\r\n.\nb\r\n.\r\n', ['bare-lf', 'early-end-of-data']],
  ])('reports %s', (_name, body, expected) => {
    expect(kinds(body)).toEqual(expected);
  });

  it('finds the data phases in a recorded stream and ignores what follows the final terminator', () => {
    const record = createConnectionRecord(3, 'starttls');
    recordClientBytes(record, 'tls', Buffer.from('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n'));
    record.dataStarts.push(record.clientBytes);
    recordClientBytes(record, 'tls', Buffer.from('x\ny\r\n.\r\nQUIT\r\n'));
    const result = probeDataPhases([record]);
    expect(result.dataPhases).toBe(1);
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'bare-lf', connection: 3, offset: 1 })]);
  });

  it('does not count a data phase the client never finished', () => {
    const record = createConnectionRecord(0, 'starttls');
    record.dataStarts.push(0);
    recordClientBytes(record, 'tls', Buffer.from('half a body\n'));
    expect(probeDataPhases([record])).toEqual({ dataPhases: 0, findings: [] });
  });
});

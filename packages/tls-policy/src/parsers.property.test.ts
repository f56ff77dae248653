// Property tests for the parsers that read untrusted input (fast-check): the DER reader either returns
// facts or throws its own "malformed DER" error, never reads out of bounds or loops; the MTA-STS parsers
// never throw on any text and accept only what re-validates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSignatureAlgorithm } from './certificate-signature-algorithm';
import { mxMatchesPolicy, parseMtaStsPolicy } from './mta-sts-policy';
import { parseMtaStsRecord } from './mta-sts-record';

describe('parsers of untrusted input', () => {
  it('readSignatureAlgorithm returns facts or throws "malformed DER" for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          const facts = readSignatureAlgorithm(bytes);
          expect(facts.algorithmOid).toMatch(/^\d+(\.\d+)+$/);
        } catch (error) {
          expect((error as Error).message).toMatch(/^malformed DER certificate/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parseMtaStsRecord and parseMtaStsPolicy never throw, and accepted policies are self-consistent', () => {
    const line = fc.oneof(
      fc.constantFrom('version: STSv1', 'mode: enforce', 'mode: testing', 'mode: none', 'max_age: 86400'),
      fc.domain().map((domain) => `mx: ${domain}`),
      fc.domain().map((domain) => `mx: *.${domain}`),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (lines, end) => {
        const result = parseMtaStsPolicy(lines.join(end));
        if (result.valid) {
          expect(['enforce', 'testing', 'none']).toContain(result.policy.mode);
          for (const pattern of result.policy.mx) {
            expect(mxMatchesPolicy(result.policy, pattern.replace(/^\*\./, 'mail.'))).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const record = parseMtaStsRecord(text);
        if (record !== undefined) expect(record.id).toMatch(/^[A-Za-z0-9]{1,32}$/);
      }),
    );
  });
});

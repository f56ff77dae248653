// TLS version acceptance, table-driven: TLS 1.0/1.1 and anything unknown are refused (RFC 8996).
import { describe, expect, it } from 'vitest';
import { judgeProtocolVersion } from './versions';

describe('judgeProtocolVersion (RFC 8996, RFC 9325 §3.1.1)', () => {
  const cases = [
    ['TLSv1.3', 'TLSv1.2', true],
    ['TLSv1.2', 'TLSv1.2', true],
    ['TLSv1.3', 'TLSv1.3', true],
    ['TLSv1.2', 'TLSv1.3', false],
    ['TLSv1.1', 'TLSv1.2', false],
    ['TLSv1', 'TLSv1.2', false],
    ['SSLv3', 'TLSv1.2', false],
    ['unknown', 'TLSv1.2', false],
    ['', 'TLSv1.2', false],
    [null, 'TLSv1.2', false],
  ] as const;
  for (const [protocol, minimum, accepted] of cases) {
    it(`${protocol} with minimum ${minimum} -> ${accepted ? 'accepted' : 'TLS_VERSION_TOO_OLD'}`, () => {
      const verdict = judgeProtocolVersion(protocol, minimum);
      expect(verdict.accepted).toBe(accepted);
      if (!verdict.accepted) {
        expect(verdict.code).toBe('TLS_VERSION_TOO_OLD');
        expect(verdict.reason).toContain(minimum);
      }
    });
  }
});

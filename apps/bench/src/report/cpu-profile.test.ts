import { describe, expect, it } from 'vitest';
import { originOf, summarizeProfile } from './cpu-profile';

describe('originOf', () => {
  it('names workspace packages, npm packages, Node internals and V8 pseudo-frames', () => {
    expect(originOf('file:///work/main/packages/smtp-core/dist/node.js', 'write')).toBe(
      '@strictmail/smtp-core',
    );
    expect(
      originOf('file:///x/node_modules/.pnpm/nodemailer@10.6.1/node_modules/nodemailer/lib/a.js', 'f'),
    ).toBe('nodemailer');
    expect(originOf('file:///x/node_modules/@peculiar/x509/build/x.js', 'f')).toBe('@peculiar/x509');
    expect(originOf('node:internal/tls/wrap', 'f')).toBe('node:internal');
    expect(originOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});

describe('summarizeProfile', () => {
  it('adds up self time per function and origin from samples, leaving out idle time', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        { id: 3, callFrame: frame('encode', 'file:///w/packages/smtp-core/dist/node.js') },
        { id: 4, callFrame: frame('writeGeneric', 'node:internal/stream_base_commons') },
      ],
      startTime: 0,
      endTime: 4000,
      samples: [3, 3, 4, 2],
      // Microseconds; sample i lasts until sample i + 1.
      timeDeltas: [0, 1000, 1000, 1000],
    });
    expect(summary.totalMs).toBe(3);
    expect(summary.origins[0]).toEqual({ name: '@strictmail/smtp-core', selfMs: 2, share: 2 / 3 });
    expect(summary.functions.map((entry) => entry.name)).toEqual([
      'encode (@strictmail/smtp-core node.js:1)',
      'writeGeneric (node:internal stream_base_commons:1)',
    ]);
  });
});

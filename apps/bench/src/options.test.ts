import { describe, expect, it } from 'vitest';
import { parseOptions } from './options';

describe('parseOptions', () => {
  it('defaults to quick mode', () => {
    expect(parseOptions([])).toMatchObject({ mode: 'quick', only: [], clients: [], profile: false });
  });

  it('keeps filters given before or after --full', () => {
    expect(parseOptions(['--only=cold', '--full', '--clients=strictmail-core'])).toMatchObject({
      mode: 'full',
      only: ['cold'],
      clients: ['strictmail-core'],
    });
  });

  it('ignores the "--" npm and pnpm may pass through', () => {
    expect(parseOptions(['--', '--full']).mode).toBe('full');
  });

  it('refuses an unknown argument with the usage', () => {
    expect(() => parseOptions(['--fulll'])).toThrow(/unknown argument "--fulll"[\s\S]*usage/);
  });
});

// When output is coloured: NO_COLOR (no-color.org) beats FORCE_COLOR, which beats TERM and the TTY test.
import { describe, expect, it } from 'vitest';
import { createPalette, shouldColour } from './colour';

describe('shouldColour', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ TERM: 'dumb' }, true, false],
    [{ TERM: 'dumb', FORCE_COLOR: '2' }, false, true],
  ])('%j on a TTY=%s -> %s', (environment, isTty, expected) => {
    expect(shouldColour(environment, isTty)).toBe(expected);
  });
});

describe('createPalette', () => {
  it('adds ANSI escapes only when enabled', () => {
    expect(createPalette(false).bad('x')).toBe('x');
    expect(createPalette(true).bad('x')).toMatch(/^\u001b\[.*x.*\u001b\[/);
  });
});

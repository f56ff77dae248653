import { describe, expect, it } from 'vitest';
import { roundTripResolution, roundTripsPerOperation } from './round-trips';

describe('roundTripsPerOperation', () => {
  it('divides the extra wall time by delay x operations', () => {
    // 40 messages, 20 ms delay, 2 round trips each: 1,600 ms more than the baseline.
    expect(roundTripsPerOperation({ baselineMs: 300, delayedMs: 1900, delayMs: 20, operations: 40 })).toBe(2);
  });

  it('reports a fraction when several messages share one round trip (pipelining across messages)', () => {
    expect(
      roundTripsPerOperation({ baselineMs: 100, delayedMs: 180, delayMs: 20, operations: 40 }),
    ).toBeCloseTo(0.1);
  });

  it('uses the delay actually applied, not the one asked for', () => {
    expect(
      roundTripsPerOperation({ baselineMs: 0, delayedMs: 210, delayMs: 21, operations: 10 }),
    ).toBeCloseTo(1);
  });

  it('clamps noise below the baseline to zero', () => {
    expect(roundTripsPerOperation({ baselineMs: 100, delayedMs: 95, delayMs: 20, operations: 10 })).toBe(0);
  });

  it('refuses a zero delay or zero operations instead of dividing by zero', () => {
    expect(() => roundTripsPerOperation({ baselineMs: 1, delayedMs: 2, delayMs: 0, operations: 10 })).toThrow(
      RangeError,
    );
    expect(() => roundTripsPerOperation({ baselineMs: 1, delayedMs: 2, delayMs: 20, operations: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('roundTripResolution', () => {
  it('shrinks with more operations', () => {
    expect(roundTripResolution({ jitterMs: 16, delayMs: 20, operations: 40 })).toBeCloseTo(0.02);
    expect(roundTripResolution({ jitterMs: 16, delayMs: 20, operations: 80 })).toBeCloseTo(0.01);
  });
});

import { describe, expect, it } from 'vitest';
import { formatNumber, medianRatio, summarize } from './statistics';

describe('summarize', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(summarize([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5, count: 3 });
  });

  it('averages the two middle values of an even count', () => {
    expect(summarize([4, 1, 10, 2])).toEqual({ min: 1, median: 3, max: 10, count: 4 });
  });

  it("does not reorder the caller's array", () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses an empty sample set instead of inventing a number', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('medianRatio', () => {
  it('divides the medians', () => {
    expect(medianRatio(summarize([10, 20, 30]), summarize([4, 5, 6]))).toBe(4);
  });

  it('is undefined when a side is missing or the denominator is zero', () => {
    expect(medianRatio(undefined, summarize([1]))).toBeUndefined();
    expect(medianRatio(summarize([1]), summarize([0]))).toBeUndefined();
  });
});

describe('formatNumber', () => {
  it('keeps about three significant digits', () => {
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.012345)).toBe('0.012');
  });
});

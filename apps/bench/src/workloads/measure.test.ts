import { describe, expect, it } from 'vitest';
import { rotate, toRow } from './measure';

describe('rotate', () => {
  it('starts each repetition with the next client, so no client always runs first', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotate(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a']);
    expect(rotate([], 3)).toEqual([]);
  });
});

describe('toRow', () => {
  it('summarises each metric over its samples', () => {
    const row = toRow('throughput', 'fast', null, { values: { messagesPerSecond: [3, 1, 2] } });
    expect(row.status).toBe('measured');
    expect(row.metrics.messagesPerSecond).toEqual({ min: 1, median: 2, max: 3, count: 3 });
  });

  it('shows no number for a client that was unavailable or failed in any repetition', () => {
    const unavailable = toRow('throughput', 'fast', null, {
      values: {},
      problem: { status: 'unavailable', reason: 'not built' },
    });
    expect(unavailable).toMatchObject({ status: 'unavailable', reason: 'not built', metrics: {} });
    const failed = toRow('throughput', 'fast', null, {
      values: { messagesPerSecond: [5] },
      problem: { status: 'failed', reason: 'sink accepted fewer' },
    });
    expect(failed).toMatchObject({ status: 'failed', metrics: {} });
  });
});

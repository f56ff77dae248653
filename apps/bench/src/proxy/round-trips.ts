// Round-trip arithmetic for the delay proxy. A client that waits for the server k times per message
// takes k x delay longer per message behind the proxy than without it; so
//   round trips per message = (wall time behind the delay - wall time behind a zero delay) / (delay x messages).
// Both runs go through the same proxy code, so the proxy's own cost cancels out. Only valid on one
// connection: with n connections in parallel the waits overlap and the quotient is divided by up to n.

export interface RoundTripInput {
  /** Wall time of the measured part behind the proxy with delay 0, in milliseconds. */
  readonly baselineMs: number;
  /** Wall time of the same part behind the proxy with the delay, in milliseconds. */
  readonly delayedMs: number;
  /** The delay the proxy actually applied per held chunk, in milliseconds (> 0). */
  readonly delayMs: number;
  /** How many messages (or operations) the measured part contained (> 0). */
  readonly operations: number;
}

/** Round trips per operation; negative noise is clamped to 0. */
export function roundTripsPerOperation(input: RoundTripInput): number {
  if (!(input.delayMs > 0) || !(input.operations > 0)) {
    throw new RangeError(
      `round trips need a positive delay and operation count; received delay ${input.delayMs} ms and ${input.operations} operations`,
    );
  }
  const extraMs = input.delayedMs - input.baselineMs;
  return Math.max(0, extraMs / (input.delayMs * input.operations));
}

/**
 * How precise a round-trip figure is: a wall-time error of `jitterMs` (timer and scheduling noise)
 * moves the quotient by this much. Used to print "±" beside each figure.
 */
export function roundTripResolution(input: {
  jitterMs: number;
  delayMs: number;
  operations: number;
}): number {
  return input.jitterMs / (input.delayMs * input.operations);
}

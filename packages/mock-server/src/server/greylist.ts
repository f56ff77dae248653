// Greylisting (RFC 6647): the first delivery attempt of each (client IP, sender, recipient) triple is
// answered with a temporary failure at RCPT; a retry of the same triple is accepted. Real greylisters
// also demand a minimum wait before the retry; a test server does not, so retry logic is tested
// without sleeping.

export class Greylist {
  readonly #seen = new Set<string>();

  /** True the first time a triple is seen (answer 451), false from then on. */
  shouldDefer(clientIp: string, from: string, to: string): boolean {
    const key = JSON.stringify([clientIp, from.toLowerCase(), to.toLowerCase()]);
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    return true;
  }

  clear(): void {
    this.#seen.clear();
  }
}

/** RFC 6647 §2.1: a greylisting server answers with a 4xx reply, most often 451 4.7.1. */
export const DEFAULT_GREYLIST_CODE = 451;
export const DEFAULT_GREYLIST_TEXT = 'Greylisted, please try again later';

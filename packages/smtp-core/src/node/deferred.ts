// A promise with its resolve and reject exposed, for the driver's per-message waits. Rule: a Deferred
// never produces an unhandled rejection on its own; whoever awaits it sees the error.
export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.catch(() => {});
  }
}

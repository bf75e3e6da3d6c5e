/**
 * Concurrent reads share calls: a call made while one is in flight waits for the next one, sent after that
 * one's answer, so every caller sees at least what the source held when it called (versions never go down).
 */
export class SharedRead<T> {
  private reading?: Promise<T>;
  private nextRead?: Promise<T>;

  constructor(private readonly readNow: () => Promise<T>) {}

  /** Nothing in flight or queued: the owner may drop this object. */
  get idle(): boolean {
    return !this.reading && !this.nextRead;
  }

  read(): Promise<T> {
    if (!this.reading) return (this.reading = this.readNow().finally(() => (this.reading = undefined)));
    return (this.nextRead ??= this.reading
      .then(undefined, () => undefined)
      .then(() => {
        this.nextRead = undefined;
        return this.read();
      }));
  }
}

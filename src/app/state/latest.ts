/**
 * Latest wins, in one place (after Embedding Atlas' latestAsync): each `run` supersedes the ones
 * before it on this slot, and an answer is delivered only while its run is still the newest, so a
 * slow old request can never overwrite a newer one's result.
 */
export class Latest {
  private newest = 0;

  /** Runs `work`; `deliver` gets its value only if no newer run started meanwhile. Returns whether it was delivered. */
  async run<T>(work: () => Promise<T>, deliver: (value: T) => void): Promise<boolean> {
    const id = ++this.newest;
    const value = await work();
    if (id !== this.newest) return false;
    deliver(value);
    return true;
  }

  /** Makes every run in flight stale. */
  cancel(): void {
    this.newest++;
  }
}

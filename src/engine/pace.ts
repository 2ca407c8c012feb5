/** A task boundary: messages waiting (a Cancel, a newer request) are handled before the work goes on. */
export const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * True at most once every `ms`: long loops take a task boundary (and report progress) only then.
 * Browsers make a nested setTimeout wait at least 4 ms, so a boundary after every small step can cost
 * more than the steps (NN-descent at 100k × 512 took 37,000 of them, ~150 s of waiting).
 */
export function every(ms = 50): () => boolean {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < ms) return false;
    last = now;
    return true;
  };
}

/**
 * Runs the steps of a generator (each yields the share done), reporting it and taking a task boundary
 * when `every()` says so, and after the last step (done = 1).
 */
export async function paced(steps: Iterable<number>, onStep: (done: number) => void = () => {}): Promise<void> {
  const due = every();
  for (const done of steps)
    if (due() || done === 1) {
      onStep(done);
      await nextTask();
    }
}

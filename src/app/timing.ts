/**
 * Timings for benchmarks and the browser's performance panel, kept out of the app's state: User
 * Timing entries named `loupe:<name>`, each replacing the last of its name (read them with
 * `performance.getEntriesByName('loupe:metrics-drawn')`).
 */
export function mark(name: string, detail?: number): void {
  performance.clearMarks(`loupe:${name}`);
  performance.mark(`loupe:${name}`, { detail });
}

/** A measure from `start` (a `performance.now()` time) to now. */
export function measure(name: string, start: number): void {
  performance.clearMeasures(`loupe:${name}`);
  performance.measure(`loupe:${name}`, { start, end: performance.now() });
}

import { describe, expect, test } from 'vitest';
import { every, nextTask, paced } from '../../src/engine/pace';

describe('pacing long loops', () => {
  test('every(ms) says so at most once per ms', () => {
    const due = every(20);
    expect(due()).toBe(false);
    const start = performance.now();
    while (performance.now() - start < 25);
    expect(due()).toBe(true);
    expect(due()).toBe(false);
  });

  test('nextTask lets a timer that is already due run first', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    await nextTask();
    order.push('after');
    expect(order).toEqual(['timer', 'after']);
  });

  test('paced reports a few of many quick steps, and always the last', async () => {
    function* steps() {
      for (let i = 1; i <= 10_000; i++) yield i / 10_000;
    }
    const seen: number[] = [];
    await paced(steps(), (done) => seen.push(done));
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBeLessThan(10);
  });
});

import { describe, expect, it } from 'vitest';
import { transferHandlers } from 'comlink';
import { installErrorTransfer } from '../../src/engine/errorTransfer';
import type { LabelIssues } from '../../src/engine/labelIssues';

describe('a review queue crosses the worker boundary as columns', () => {
  it('comes back equal, and only its arrays are transferred', () => {
    installErrorTransfer();
    const h = transferHandlers.get('label-issues')!;
    const queue: LabelIssues = {
      method: { filter_by: 'prune_by_noise_rate', rank_by: 'self_confidence' },
      rows: 10,
      num_issues: 3,
      issues: [
        { id: 'a', row: 7, given: 'cat', suggested: 'dog', score: 0.125 },
        { id: '12', row: 2, given: 'dog', suggested: 'cat', score: NaN },
        { id: 'é"', row: 4_000_000_000, given: 'cat', suggested: 'bird', score: 1e-300 },
      ],
      per_class: { cat: { issues: 2, rows: 6, model_right: 4 }, dog: { issues: 1, rows: 4, model_right: 3 } },
      joint: [
        [4, 2],
        [1, 3],
      ],
    };
    expect(h.canHandle(queue)).toBe(true);
    expect(h.canHandle({ issues: [] })).toBe(false);
    const [wire, transfer] = h.serialize(queue);
    expect(transfer).toHaveLength(4);
    expect(h.deserialize(structuredClone(wire))).toEqual(queue);
  });
});

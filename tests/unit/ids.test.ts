import { describe, expect, test } from 'vitest';
import { alignIds, idKey } from '../../src/core/labels/ids';

describe('ids matched across reviewers', () => {
  test('a whole number is its value however written; other ids are trimmed text', () => {
    expect(['7', '0007', '7.0', '7.', ' +7 ', '-0', '123456789012345678901234567890'].map(idKey)).toEqual([
      '7',
      '7',
      '7',
      '7',
      '7',
      '0',
      '123456789012345678901234567890',
    ]);
    expect(['7.5', 'A7', ' a1 ', '7e2', ''].map(idKey)).toEqual(['7.5', 'A7', 'a1', '7e2', '']);
  });
  test('labels move onto the known spelling only where the spelling differs; the first of a merged pair wins', () => {
    const got = alignIds(
      new Map([
        ['7.0', 'a'],
        ['07', 'b'],
        ['008', 'c'],
        ['x', 'd'],
        ['12', 'e'],
      ]),
      ['7', '07', '8'],
    );
    // "07" is known as written, so it stays; 7.0 goes to 7; 12 is unknown and kept as written.
    expect([...got]).toEqual([
      ['7', 'a'],
      ['07', 'b'],
      ['8', 'c'],
      ['x', 'd'],
      ['12', 'e'],
    ]);
    // Row-number ids: every id becomes its key.
    expect([
      ...alignIds(
        new Map([
          ['3.0', 'a'],
          ['3', 'b'],
          ['4', 'c'],
        ]),
      ),
    ]).toEqual([
      ['3', 'a'],
      ['4', 'c'],
    ]);
  });
});

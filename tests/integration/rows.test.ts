import { describe, expect, it } from 'vitest';
import { newEngine } from './engine';

const csv = (text: string) => new TextEncoder().encode(text);

describe('row sets for the Data tab', () => {
  it('sort by a column (nulls last, ties in file order), narrow to mistakes, find a row, refuse unknown keys', async () => {
    const engine = newEngine();
    const info = await engine.open({
      name: 'r.csv',
      bytes: csv('rowid,x,label,pred\n10,3,a,a\n11,,b,a\n12,1,a,b\n13,3,b,b\n14,2,b,a\n'),
    });
    const { roles } = await engine.roles(info.id);
    const page = async (key: string) => (await engine.rowSetPage(info.id, key, 0, 10)).rows.map((r) => r[1]);
    const asc = await engine.rowSet(info.id, null, null, undefined, { column: 'x', desc: false });
    expect(await page(asc.key)).toEqual([1, 2, 3, 3, null]);
    expect((await engine.rowSetPage(info.id, asc.key, 0, 10)).rowids).toEqual([2, 4, 0, 3, 1]);
    const desc = await engine.rowSet(info.id, null, null, undefined, { column: 'x', desc: true });
    expect(await page(desc.key)).toEqual([3, 3, 2, 1, null]);
    // A user column named rowid changes nothing: the rows are the file's.
    expect((await engine.rowSetPage(info.id, desc.key, 0, 10)).rows.map((r) => r[0])).toEqual([10, 13, 14, 12, 11]);
    const wrong = await engine.rowSet(info.id, { roles }, null, { kind: 'wrong' }, { column: 'x', desc: false });
    expect(wrong.count).toBe(3);
    expect((await engine.rowSetPage(info.id, wrong.key, 0, 10)).rowids).toEqual([2, 4, 1]);
    expect(engine.rowSetPosition(info.id, wrong.key, 4)).toBe(1);
    expect(engine.rowSetPosition(info.id, wrong.key, 0)).toBe(-1);
    await expect(engine.rowSetPage(info.id, `${info.id}\u0000nope`, 0, 10)).rejects.toThrow(/no longer at hand/);
    await expect(engine.rowSet(info.id, null, null, undefined, { column: 'nope', desc: false })).rejects.toThrow(
      /Unknown column "nope"/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { newEngine } from './engine';
import type { DatasetInfo, LoadProgress } from '../../src/engine/DataEngine';

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

  it('a large table is listed and readable before its profile, then replaced by the profiled one', async () => {
    const engine = newEngine();
    engine.earlyRows = 3; // as a table of EARLY_ROWS rows would be
    const text = 'x,label,pred\n1,a,a\nNA,b,a\n3,a,b\n4,b,b\n';
    let shape: DatasetInfo | undefined;
    let early: Promise<{ rows: unknown[][] }> | undefined;
    const info = await engine.open({ name: 'big.csv', bytes: csv(text) }, (p: LoadProgress) => {
      if (!p.shape) return;
      const id = (shape = p.shape).id;
      // The rows on screen are read while the profile waits.
      early = (async () => engine.rowSetPage(id, (await engine.rowSet(id, null, null)).key, 0, 10))();
    });
    expect(shape?.id).toBe(info.id);
    expect(shape?.rows).toBe(4);
    expect(shape?.columns.map((c) => [c.name, c.unprofiled])).toEqual([
      ['x', true],
      ['label', true],
      ['pred', true],
    ]);
    expect(shape?.fingerprint).toBe('');
    // Read as the file has them (NA is text), then profiled: NA is missing and x numeric.
    expect((await early!).rows.map((r) => r[0])).toEqual(['1', 'NA', '3', '4']);
    expect(info.columns.every((c) => !c.unprofiled)).toBe(true);
    expect(info.fingerprint).not.toBe('');
    const all = await engine.rowSet(info.id, null, null);
    expect((await engine.rowSetPage(info.id, all.key, 0, 10)).rows.map((r) => r[0])).toEqual([1, null, 3, 4]);
    // A small table is not shown early.
    engine.earlyRows = 5;
    let shown = false;
    await engine.open({ name: 'small.csv', bytes: csv(text) }, (p) => (shown ||= !!p.shape));
    expect(shown).toBe(false);
  });

  it('a table cancelled while shown before its profile is closed again', async () => {
    const engine = newEngine();
    engine.earlyRows = 1;
    let id = '';
    const opening = engine.open({ name: 'c.csv', bytes: csv('x,y\n1,2\n3,4\n') }, (p) => {
      if (p.shape) ((id = p.shape.id), engine.cancel());
    });
    await expect(opening).rejects.toThrow(/Cancelled/);
    expect(id).not.toBe('');
    await expect((async () => engine.rowSet(id, null, null))()).rejects.toThrow(/No open dataset/);
  });
});

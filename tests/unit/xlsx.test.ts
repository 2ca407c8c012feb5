import { readFileSync } from 'node:fs';
import { zipSync, strToU8 } from 'fflate';
import { expect, test } from 'vitest';
import { isWorkbook, xlsxToCsv } from '../../src/core/table/xlsx';

/** Workbooks openpyxl (pandas' to_excel engine) wrote, one as Excel writes shared strings: scripts/make_xlsx_fixtures.py. */
const file = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/xlsx/${name}`, import.meta.url)));
const expected: Record<string, { sheet: string; others: string[]; rows: string[][] }> = JSON.parse(
  readFileSync(new URL('../fixtures/xlsx/expected.json', import.meta.url), 'utf8'),
);

/** RFC 4180 CSV into rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(field), (field = ''));
    else if (ch === '\n') (row.push(field), rows.push(row), (row = []), (field = ''));
    else field += ch;
  }
  return rows;
}

test('the first sheet of a workbook is the CSV of its cells as Excel stores them', () => {
  for (const [name, want] of Object.entries(expected)) {
    const bytes = file(name);
    expect(isWorkbook(name, bytes.subarray(0, 64)), name).toBe(true);
    const sheet = xlsxToCsv(bytes, name);
    expect(sheet.name, name).toBe(want.sheet);
    expect(sheet.others, name).toEqual(want.others);
    expect(parseCsv(new TextDecoder().decode(sheet.csv)), name).toEqual(want.rows);
  }
});

test('a workbook that cannot be read, or unpacks to too much XML, is refused with what to do', () => {
  const refused = (bytes: Uint8Array, name = 'book.xlsx') => {
    try {
      xlsxToCsv(bytes, name);
    } catch (e) {
      return (e as Error).message;
    }
    return 'read';
  };
  expect(refused(zipSync({ 'xl/workbook.bin': strToU8('binary') }), 'book.xlsb')).toMatch(
    /book\.xlsb: a workbook Loupe cannot read \(a binary \.xlsb.*Save the sheet as CSV/,
  );
  expect(refused(file('kinds.xlsx').subarray(0, 200))).toMatch(/not a readable Excel workbook/);
  // A sheet whose zip entry says it unpacks to 600 MiB (as a zip bomb's does): refused from that size,
  // before anything is unpacked.
  const bomb = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>'), 'xl/worksheets/sheet1.xml': strToU8('<x/>') });
  const view = new DataView(bomb.buffer);
  for (let at = 0; at < bomb.length - 4; at++)
    if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, 600 * 2 ** 20, true); // uncompressed size
  expect(refused(bomb)).toMatch(/unpack to more than 512 MiB of XML/);
  const empty = zipSync({
    'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Target="worksheets/s.xml"/></Relationships>',
    ),
    'xl/worksheets/s.xml': strToU8('<worksheet><sheetData/></worksheet>'),
  });
  expect(refused(empty)).toMatch(/its first sheet, "S", is empty/);
});

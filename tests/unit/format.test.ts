import { isWorkbook } from '../../src/core/table/xlsx';
import { describe, expect, test } from 'vitest';
import { detectFormat, extensionOf, sniffDelimiter, splitCsvLine } from '../../src/core/table/format';

const bytes = (s: string | number[]) => (typeof s === 'string' ? new TextEncoder().encode(s) : new Uint8Array(s));

describe('detectFormat', () => {
  test('magic bytes win over the extension', () => {
    expect(detectFormat('x.csv', bytes([0x50, 0x41, 0x52, 0x31, 0, 0])).format).toBe('parquet');
    expect(detectFormat('x.json', bytes('ARROW1\0\0')).format).toBe('arrow');
    expect(detectFormat('x', bytes([0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0])).format).toBe('arrow');
  });
  test('text formats from content', () => {
    expect(detectFormat('data', bytes('[{"a":1}]')).format).toBe('json');
    expect(detectFormat('data', bytes('{"a":1}\n{"a":2}\n')).format).toBe('ndjson');
    expect(detectFormat('data.json', bytes('{"a":1}')).format).toBe('json');
    expect(detectFormat('data', bytes('a\tb\tc\n1\t2\t3')).format).toBe('tsv');
    expect(detectFormat('data.txt', bytes('a,b\n1,2')).format).toBe('csv');
    expect(detectFormat('x.tsv', bytes('a,b')).format).toBe('tsv');
  });
  test('a byte-order mark is ignored', () => {
    expect(detectFormat('d', bytes('\ufeff[{"a":1}]')).format).toBe('json');
  });
  test('empty and binary input are refused with the file name', () => {
    expect(() => detectFormat('e.csv', bytes(''))).toThrow(/e.csv is empty/);
    expect(() => detectFormat('e.csv', bytes('   \n  '))).toThrow(/only whitespace/);
    expect(() => detectFormat('b.bin', bytes([1, 0, 2, 0, 3]))).toThrow(/b.bin is not in a format/);
    expect(() => detectFormat('t.parquet', bytes('a,b\n'))).toThrow(/named .parquet but its content is not parquet/);
  });
  test('an Excel workbook is told by its name or its parts; an old .xls is named as one, with what to do', () => {
    const zip = [0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0];
    expect(isWorkbook('book.xlsx', bytes(zip))).toBe(true);
    // Renamed, recognised by its parts.
    expect(isWorkbook('data', bytes([...zip, ...new TextEncoder().encode('xl/workbook.xml')]))).toBe(true);
    expect(isWorkbook('archive.zip', bytes([...zip, 0]))).toBe(false);
    expect(() => detectFormat('old.xls', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toThrow(
      /old\.xls is an Excel 97–2003 workbook \(\.xls\).*CSV UTF-8/,
    );
    expect(() => detectFormat('archive.zip', bytes([...zip, 0]))).toThrow(/not in a format/);
    const ods = [...zip, ...new TextEncoder().encode('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')];
    expect(() => detectFormat('sheet', bytes(ods))).toThrow(/sheet is an OpenDocument spreadsheet.*as \.xlsx/);
    const npz = [...zip, ...new TextEncoder().encode('y_test.npy')];
    expect(() => detectFormat('arrays.npz', bytes(npz))).toThrow(
      /a NumPy \.npz archive\. Save each array with np\.save/,
    );
  });
  test('extensionOf strips .gz and query strings', () => {
    expect(extensionOf('a.CSV.gz')).toBe('csv');
    expect(extensionOf('https://h/x.parquet?sig=1')).toBe('parquet');
    expect(extensionOf('noext')).toBe('');
  });
});

describe('CSV dialect', () => {
  test('sniffDelimiter counts outside quotes in the header line only', () => {
    expect(sniffDelimiter('a;b;c\n1,2;3')).toBe(';');
    expect(sniffDelimiter('"a,b,c";d;e\n')).toBe(';');
    expect(sniffDelimiter('a|b\n')).toBe('|');
    expect(sniffDelimiter('single\n1,2,3')).toBe(',');
  });
  test('splitCsvLine honours quotes and doubled quotes', () => {
    expect(splitCsvLine('a,"b,c","d ""e"""', ',')).toEqual(['a', 'b,c', 'd "e"']);
    expect(splitCsvLine('x;;y', ';')).toEqual(['x', '', 'y']);
  });
});

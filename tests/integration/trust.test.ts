import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openAsBlob,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loupe } from './cli';
import { fixture, newEngine } from './engine';
import { DataEngine } from '../../src/engine/DataEngine';
import { nodePlatform } from '../../src/engine/nodePlatform';

const dir = mkdtempSync(path.join(tmpdir(), 'loupe-trust-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** 100 rows: season w (50 rows, 26 right) and s (50 rows, 40 right), plus columns named like Loupe's internals. */
function shadowing(extra: string[]): string {
  const lines = [['season', 'label', 'pred', ...extra].join(',')];
  for (let i = 0; i < 100; i++) {
    const w = i % 2 === 0;
    const k = Math.floor(i / 2);
    const right = w ? k < 26 : k < 40;
    const label = i % 3 === 0 ? 'a' : 'b';
    const pred = right ? label : label === 'a' ? 'b' : 'a';
    // The extra columns hold values that would change results if read as row numbers or helpers.
    lines.push([w ? 'w' : 's', label, pred, ...extra.map((_, j) => String((i * 7 + j) % 5))].join(','));
  }
  return lines.join('\n') + '\n';
}

describe('results never depend on a user column named like an internal', () => {
  for (const extra of [['rowid'], ['ROWID', '__loupe_row'], ['__label', '__row', 'r', 'y', 'pred_b']]) {
    it(`columns ${extra.join(', ')}`, async () => {
      const f = file(`shadow-${extra.join('-')}.csv`, shadowing(extra));
      const plain = file('plain.csv', shadowing([]));
      const { out, code } = await loupe([
        'eval',
        f,
        '--json',
        '--bootstrap',
        '0',
        '--label',
        'label',
        '--pred',
        'pred',
        '--where',
        "season = 'w'",
      ]);
      expect(code).toBe(0);
      const r = JSON.parse(out);
      expect(r.rows).toBe(100);
      expect(r.slices[0].rows).toBe(50);
      expect(r.slices[0].metrics.accuracy).toBeCloseTo(0.52, 12);
      const base = JSON.parse(
        (await loupe(['eval', plain, '--json', '--bootstrap', '0', '--label', 'label', '--pred', 'pred'])).out,
      );
      expect(r.overall).toEqual(base.overall);

      // The Data tab's rows are the file's rows, in order, and the user's columns only.
      const engine = newEngine();
      const info = await engine.open({ name: 'x.csv', bytes: readFileSync(f) });
      expect(info.columns.map((c) => c.name)).toEqual(['season', 'label', 'pred', ...extra]);
      const page = await engine.rows(info.id, 10, 3);
      const lines = readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .slice(11, 14)
        .map((l) => l.split(','));
      expect(page.rows.map((r) => r.map(String))).toEqual(lines);
      // Exports carry the user's columns only.
      const csv = new TextDecoder().decode(await engine.exportTable(info.id, 'csv'));
      expect(csv.split('\n')[0]).toBe(['season', 'label', 'pred', ...extra].join(','));
      expect(csv.split('\n')[12]).toBe(lines[1].join(','));
    });
  }

  it('keeps the fingerprint of the data whatever the row identity', async () => {
    const e = newEngine();
    const a = await e.open({ name: 'a.csv', bytes: new TextEncoder().encode('rowid,x\n5,1\n6,2\n') });
    const b = await e.open({ name: 'b.csv', bytes: new TextEncoder().encode('rowid,x\n6,2\n5,1\n') });
    expect(a.fingerprint).toBe(b.fingerprint); // order-independent, and the helper column is not hashed
    expect(a.row).not.toBe('rowid');
  });
});

describe("names and values that are JavaScript's own (__proto__, constructor) are plain data", () => {
  it('as columns of CSV and JSON, and as a group of fairness and compare', async () => {
    const engine = newEngine();
    const csv = 'label,pred,pred_b,__proto__,constructor\na,a,b,1,x\nb,a,b,2,__proto__\na,b,a,3,__proto__\nb,b,b,4,x\n';
    const d = await engine.open({ name: 'proto.csv', bytes: new TextEncoder().encode(csv) });
    const rows = await engine.query(`SELECT "__proto__", "constructor" FROM ${d.id} ORDER BY 1`);
    expect(rows.map((r) => Object.getOwnPropertyNames(r))).toEqual(Array(4).fill(['__proto__', 'constructor']));
    expect(rows.map((r) => Object.getOwnPropertyDescriptor(r, '__proto__')?.value)).toEqual([1, 2, 3, 4]);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    const spec = { roles: { ...(await engine.roles(d.id)).roles, label: 'label', pred: 'pred', probs: null } };
    const fair = await engine.fairness(d.id, { ...spec, positive: 'b' }, 'constructor');
    expect(Object.keys(fair.fairness.by_group).sort()).toEqual(['__proto__', 'x']);
    const cmp = await engine.compare(
      d.id,
      spec,
      { roles: { ...spec.roles, pred: 'pred_b' } },
      { resamples: 0, by: ['constructor'] },
    );
    expect(Object.keys(cmp.groups)).toEqual(['constructor']);
    // JSON: a key __proto__ holding an object is a column (it once overflowed the stack).
    const json =
      '[{"label":"a","pred":"a","__proto__":{"polluted":1}},{"label":"b","pred":"a","__proto__":{"polluted":1}}]';
    const j = await engine.open({ name: 'proto.json', bytes: new TextEncoder().encode(json) });
    expect(j.columns.map((c) => c.name)).toEqual(['label', 'pred', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the engine is locked', () => {
  it('reaches no file, URL or setting and runs one statement at a time', async () => {
    const e = newEngine();
    const secret = file('secret.txt', 'top secret');
    await e.open({ name: 'iris.csv', bytes: new TextEncoder().encode('a,b\n1,2\n') });
    for (const sql of [
      `SELECT * FROM read_text(${"'" + secret + "'"})`,
      "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
      `COPY (SELECT 1) TO '${path.join(dir, 'written.csv')}'`,
      'SET enable_external_access = true',
      'SET autoinstall_known_extensions = true',
      'LOAD spatial',
    ]) {
      await expect(e.query(sql), sql).rejects.toThrow();
    }
    await expect(e.query('SELECT 1; SELECT 2')).rejects.toThrow(/only one statement/);
    await expect(e.query('SELECT 1 AS x; SELECT $$;$$')).rejects.toThrow(/only one statement/);
    expect(existsSync(path.join(dir, 'written.csv'))).toBe(false);
  });

  it('reads a file the user named where it lies, and no other file beside it', async () => {
    const named = file('named.csv', 'a,b\n1,2\n3,4\n');
    const other = file('other.csv', 'a,b\n5,6\n');
    const e = new DataEngine(nodePlatform({ files: [named] }));
    const info = await e.open({ name: 'named.csv', path: realpathSync(named), file: await openAsBlob(named) });
    expect(info.rows).toBe(2);
    await expect(e.query(`SELECT * FROM read_csv('${other}')`)).rejects.toThrow();
    // A path it was not given is copied into the sandbox, as in the browser, and opens all the same.
    const copied = await e.open({ name: 'other.csv', path: realpathSync(other), file: await openAsBlob(other) });
    expect(copied.rows).toBe(1);
  });
});

describe('CSV exports neutralise formulas', () => {
  it('in text cells, keeping numbers as numbers', async () => {
    const e = newEngine();
    const info = await e.open({
      name: 'f.csv',
      bytes: new TextEncoder().encode(
        'id,name,n\n1,"=HYPERLINK(""http://x"",""y"")",-5\n2,+1+1,3\n3,-2,4\n4,@SUM(A1),5\n5,ok,6\n',
      ),
    });
    const csv = new TextDecoder()
      .decode(await e.exportTable(info.id, 'csv'))
      .trim()
      .split('\n');
    expect(csv[1]).toBe(`1,"'=HYPERLINK(""http://x"",""y"")",-5`);
    expect(csv[2]).toBe(`2,'+1+1,3`);
    expect(csv[3]).toBe('3,-2,4'); // a text column whose cell is wholly a number
    expect(csv[4]).toBe(`4,'@SUM(A1),5`);
    expect(csv[5]).toBe('5,ok,6');
  });
});

describe('loupe refuses hostile and unreadable inputs with exit 2 and one line', () => {
  const data = file('d.csv', shadowing([]));
  const run = async (args: string[]) => {
    const r = await loupe(args);
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    return r.err;
  };

  it('unreadable inputs', async () => {
    expect(await run(['eval', path.join(dir, 'missing.csv')])).toMatch(/missing\.csv: no such file/);
    expect(await run(['eval', dir])).toMatch(/it is a folder/);
    expect(await run(['eval', '/dev/zero'])).toMatch(/not a regular file/);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await run(['eval', fifo])).toMatch(/not a regular file/);
    expect(
      await run(['check', path.join(dir, 'missing.csv'), '--gates', file('g.json', '[{"metric":"accuracy","min":0}]')]),
    ).toMatch(/no such file/);
    if (process.getuid?.() !== 0) {
      const locked = file('locked.csv', 'a\n1\n');
      chmodSync(locked, 0);
      expect(await run(['eval', locked])).toMatch(/permission denied/);
    }
  });

  it('bad outputs and option values', async () => {
    expect(await run(['eval', data, '--out', path.join(dir, 'nope', 'x.json')])).toMatch(/folder .* does not exist/);
    expect(await run(['eval', data, '--bootstrap', '1e9'])).toMatch(
      /--bootstrap "1e9": expected a whole number from 0 to 100000/,
    );
    expect(await run(['eval', data, '--threshold', '1.5'])).toMatch(/from 0 to 1/);
    expect(await run(['slices', data, '--k', '0'])).toMatch(/--k "0"/);
    expect(
      await run([
        'check',
        data,
        '--gates',
        file('g2.json', '[{"metric":"accuracy","min":0}]'),
        '--junit',
        path.join(dir, 'no', 'j.xml'),
      ]),
    ).toMatch(/--junit/);
  });

  it('gates and --where payloads run nothing and touch no file', async () => {
    const target = path.join(dir, 'run.sh');
    writeFileSync(target, '#!/bin/sh\necho safe\n');
    const payloads = [
      `$$'$$ IS NOT NULL) ; COPY (SELECT 'touch /tmp/pwned') TO '${target}' (HEADER false) ; SELECT ($$`,
      `season = 'w' OR (SELECT count(*) FROM read_text('/etc/passwd')) > 0`,
      `label < (SELECT ascii(content[1]) FROM read_text('/etc/passwd'))`,
      `read_csv('http://127.0.0.1:9/leak') IS NOT NULL`,
    ];
    for (const where of payloads) {
      const gates = file('gates.json', JSON.stringify([{ metric: 'accuracy', min: 0, where }]));
      expect(await run(['check', data, '--gates', gates])).toMatch(/gate 1: "where": .* at character \d+/);
      expect(await run(['eval', data, '--where', where])).toMatch(/--where: .* at character \d+/);
    }
    expect(readFileSync(target, 'utf8')).toBe('#!/bin/sh\necho safe\n');
    mkdirSync(path.join(dir, 'g'), { recursive: true });
    const escape = file(
      'g/gates.json',
      JSON.stringify([{ metric: 'accuracy', baseline: '../../../../etc/passwd', max_drop: 0 }]),
    );
    expect(await run(['check', data, '--gates', escape])).toMatch(
      /"baseline" .* must be a \.json file in the gates file's folder/,
    );
    // A link in the folder to a report outside it is not followed out (read, this gate would pass).
    const outside = await loupe(['eval', data, '--json', '--bootstrap', '0']);
    symlinkSync(file('outside.json', outside.out), path.join(dir, 'g', 'link.json'));
    const linked = file('g/linked.json', JSON.stringify([{ metric: 'accuracy', baseline: 'link.json', max_drop: 0 }]));
    expect(await run(['check', data, '--gates', linked])).toMatch(
      /gate 1: "baseline" "link\.json" is a link to a file outside the gates file's folder/,
    );
  });

  it("a TF.js model.json's weight paths stay in its folder", async () => {
    const json = JSON.parse(readFileSync('public/demo/weather-model-tfjs/model.json', 'utf8'));
    const original = json.weightsManifest[0].paths[0];
    mkdirSync(path.join(dir, 'm'), { recursive: true });
    for (const bad of ['../../../../etc/passwd', '/etc/passwd', 'http://127.0.0.1:9/w.bin', 'a/../../w.bin']) {
      json.weightsManifest[0].paths = [bad];
      const model = file('m/model.json', JSON.stringify(json));
      const args = [
        'predict',
        'public/demo/seattle-weather.csv',
        '--model',
        model,
        '--spec',
        'public/demo/weather-model.preprocess.json',
        '--out',
        path.join(dir, 'p.csv'),
      ];
      expect(await run(args)).toMatch(/weight files must be in the model's own folder/);
    }
    // A weight file in the folder that is a link to a file elsewhere is not read.
    json.weightsManifest[0].paths = ['w.bin'];
    symlinkSync(path.resolve('public/demo/weather-model-tfjs', original), path.join(dir, 'm', 'w.bin'));
    const linked = file('m/model.json', JSON.stringify(json));
    expect(
      await run([
        'predict',
        'public/demo/seattle-weather.csv',
        '--model',
        linked,
        '--spec',
        'public/demo/weather-model.preprocess.json',
        '--out',
        path.join(dir, 'p.csv'),
      ]),
    ).toMatch(/names the weight file "w\.bin": it is a link to a file outside the model's folder/);
    expect(existsSync(path.join(dir, 'p.csv'))).toBe(false);
  });
});

describe('limits', () => {
  it('a gzip bomb is refused before it is parsed, and the engine stays usable', async () => {
    const e = newEngine();
    const kept = await e.open({ name: 'a.csv', bytes: new TextEncoder().encode('x,y\n1,2\n') });
    const bomb = fixture('bad/bomb.csv.gz'); // 3 MB expanding to 2.2 GB (scripts/make_test_fixtures.mjs)
    // The check comes before the format's reader, so it is the same for .json.gz and .csv.gz.
    await expect(e.open({ name: 'bomb.csv.gz', bytes: bomb })).rejects.toThrow(
      /expands to .* more than this browser tab can hold/,
    );
    expect((await e.rows(kept.id, 0, 5)).rows).toEqual([[1, 2]]);
  }, 60_000);

  it('a Parquet file with a damaged page is an error, not a crash', async () => {
    const e = newEngine();
    // DuckDB-wasm's reader (parquet-wasm) names the row group; native DuckDB names the failure. Neither names a sandbox path.
    const err = await e.open({ name: 'zeroed.parquet', bytes: fixture('bad/zeroed.parquet') }).catch((x: Error) => x);
    expect(String(err)).toMatch(
      /zeroed\.parquet is not a readable Parquet file: (row group 1|.*decompression failure)/i,
    );
    expect(String(err)).not.toMatch(/loupe-|\.data/);
    const r = await loupe(['eval', new URL('../fixtures/bad/zeroed.parquet', import.meta.url).pathname]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^loupe: zeroed\.parquet is not a readable Parquet file/);
  });

  it('a very wide file is refused at once', async () => {
    const e = newEngine();
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    await expect(
      e.open({ name: 'wide.csv', bytes: new TextEncoder().encode(`${header}\n${header}\n`) }),
    ).rejects.toThrow(/10,000 columns; Loupe opens at most 2,000/);
  });
});

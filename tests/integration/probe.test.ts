import { test } from 'vitest';
import { newEngine } from './engine';
test('probe', async () => {
  const e = newEngine();
  for (const [n, s] of [['bad.csv','a,b\n1,2\n3,4,5\n6,7\n'], ['bad2.csv','a,b\n1,2\n3,"4\n6,7\n'], ['bad3.csv', 'a,b,c\n' + Array.from({length: 3000}, (_, i) => `${i},x,${i}`).join('\n') + '\n1,2\n5,6,7\n']]) {
    const d = await e.open({ name: n, bytes: new TextEncoder().encode(s) }).catch((err) => console.log('ERR', n, err.code, err.message));
    if (d) console.log(n, d.rows, d.columns.map(c => c.name + ':' + c.type), JSON.stringify(await e.query(`select * from ${d.id} limit 4`)));
  }
});

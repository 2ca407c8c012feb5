/**
 * Review decisions, stored durably in IndexedDB: each decision is written (transaction complete)
 * before the queue moves on, so a reload, a crash or a closed tab loses nothing. Keyed by dataset
 * content fingerprint, reviewer and row.
 */
export type DecisionKind = 'accept' | 'relabel' | 'unsure' | 'skip';

export interface Decision {
  dataset: string;
  reviewer: string;
  row: number;
  id: string;
  timestamp: string;
  original_label: string;
  decision: DecisionKind;
  new_label: string | null;
  comment: string;
  /** Milliseconds from the item showing to the decision. */
  ms?: number;
}

const DB = 'loupe-review';
const STORE = 'decisions';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((ok, fail) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
}

export class ReviewStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens the store; rejects when IndexedDB is unavailable (private mode, disabled storage). */
  static async open(): Promise<ReviewStore> {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this browser');
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: ['dataset', 'reviewer', 'row'] });
    return new ReviewStore(await request(req));
  }

  private async write(work: (s: IDBObjectStore) => void): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    work(tx.objectStore(STORE));
    await new Promise<void>((ok, fail) => {
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
      tx.onabort = () => fail(tx.error ?? new Error('the write was aborted (storage full?)'));
    });
  }

  put(d: Decision): Promise<void> {
    return this.write((s) => s.put(d));
  }

  remove(d: Pick<Decision, 'dataset' | 'reviewer' | 'row'>): Promise<void> {
    return this.write((s) => s.delete([d.dataset, d.reviewer, d.row]));
  }

  /** The stored decision on one row, if any. */
  async get(d: Pick<Decision, 'dataset' | 'reviewer' | 'row'>): Promise<Decision | undefined> {
    const tx = this.db.transaction(STORE, 'readonly');
    return request(tx.objectStore(STORE).get([d.dataset, d.reviewer, d.row]) as IDBRequest<Decision | undefined>);
  }

  /** Every decision of a reviewer on a dataset. */
  async all(dataset: string, reviewer: string): Promise<Decision[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    const range = IDBKeyRange.bound([dataset, reviewer, -Infinity], [dataset, reviewer, Infinity]);
    return request(tx.objectStore(STORE).getAll(range) as IDBRequest<Decision[]>);
  }
}

import type { PosOfflineBatchInput, PosOfflineBatchResult, PosOfflineSaleInput } from '../api/types';

// The till's offline queue: the sales it made while the API could not be
// reached, kept in IndexedDB (they survive a reload or a closed browser)
// until POST /offline-batches has taken them.
//
// Batches: the pending sales are put in a batch with its own id, kept with
// the sales; until the API answers that batch, every retry sends the same
// id with the same sales, so an upload whose answer was lost replays on the
// server instead of recording anything twice (and sales are keyed by their
// own UUIDv7 as well). A sale queued meanwhile waits for the next batch.
// What the API rejected stays in the queue, marked, for the manager.

export type QueuedStatus = 'pending' | 'accepted' | 'flagged' | 'rejected';

export interface QueuedSale {
  id: string;
  /** `${storeId}/${registerId}`: a browser may be a till in more than one store. */
  till: string;
  sale: PosOfflineSaleInput;
  status: QueuedStatus;
  /** The batch it is being uploaded in (null until one is formed, again null once answered). */
  batchId: string | null;
  queuedAt: string;
  receiptNo?: string;
  flags?: string[];
  code?: string;
  detail?: string;
}

interface Meta {
  key: string;
  value: unknown;
}

/** The storage under the queue: IndexedDB in the browser, memory in tests. */
export interface QueueStore {
  allSales(): Promise<QueuedSale[]>;
  putSales(sales: QueuedSale[]): Promise<void>;
  getMeta(key: string): Promise<unknown>;
  putMeta(key: string, value: unknown): Promise<void>;
  close(): void;
}

export function memoryStore(): QueueStore {
  const sales = new Map<string, QueuedSale>();
  const meta = new Map<string, unknown>();
  return {
    allSales: async () => [...sales.values()].map((s) => structuredClone(s)),
    putSales: async (list) => {
      for (const s of list) sales.set(s.id, structuredClone(s));
    },
    getMeta: async (key) => structuredClone(meta.get(key)),
    putMeta: async (key, value) => {
      meta.set(key, structuredClone(value));
    },
    close: () => undefined,
  };
}

const DB_NAME = 'chainstore-till';
const SALES = 'sales';
const META = 'meta';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** indexedDbStore opens (or creates) the till's database. */
export async function indexedDbStore(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<QueueStore> {
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(SALES)) db.createObjectStore(SALES, { keyPath: 'id' });
    if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: 'key' });
  };
  const db = await request(open);
  return {
    allSales: () => request(db.transaction(SALES).objectStore(SALES).getAll() as IDBRequest<QueuedSale[]>),
    putSales: async (list) => {
      const tx = db.transaction(SALES, 'readwrite');
      const store = tx.objectStore(SALES);
      for (const s of list) store.put(s);
      await done(tx);
    },
    getMeta: async (key) => ((await request(db.transaction(META).objectStore(META).get(key))) as Meta | undefined)?.value,
    putMeta: async (key, value) => {
      const tx = db.transaction(META, 'readwrite');
      tx.objectStore(META).put({ key, value } satisfies Meta);
      await done(tx);
    },
    close: () => db.close(),
  };
}

export interface QueueSummary {
  pending: number;
  rejected: number;
  lastError: string | null;
  lastUpload: PosOfflineBatchResult | null;
}

export const MAX_BATCH = 500;

/** OfflineQueue: one till's queue (store and register) over a QueueStore. */
export class OfflineQueue {
  constructor(
    private readonly store: QueueStore,
    readonly till: string,
  ) {}

  private async mine(): Promise<QueuedSale[]> {
    return (await this.store.allSales()).filter((s) => s.till === this.till).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id));
  }

  /** enqueue keeps a sale made offline; the same id again changes nothing. */
  async enqueue(sale: PosOfflineSaleInput, queuedAt = new Date().toISOString()): Promise<void> {
    const known = (await this.store.allSales()).some((s) => s.id === sale.id);
    if (known) return;
    await this.store.putSales([{ id: sale.id, till: this.till, sale, status: 'pending', batchId: null, queuedAt }]);
  }

  async list(): Promise<QueuedSale[]> {
    return this.mine();
  }

  async pending(): Promise<QueuedSale[]> {
    return (await this.mine()).filter((s) => s.status === 'pending');
  }

  /**
   * nextBatch: the batch to upload — the one already formed and not yet
   * answered (same id, same sales), else a new one of the pending sales
   * with newId; null when nothing waits.
   */
  async nextBatch(newId: () => string): Promise<PosOfflineBatchInput | null> {
    const pending = await this.pending();
    if (pending.length === 0) return null;
    const open = pending.find((s) => s.batchId !== null)?.batchId;
    if (open) return { id: open, sales: pending.filter((s) => s.batchId === open).map((s) => s.sale) };
    const id = newId();
    const taken = pending.slice(0, MAX_BATCH).map((s) => ({ ...s, batchId: id }));
    await this.store.putSales(taken);
    return { id, sales: taken.map((s) => s.sale) };
  }

  /** markUploaded records the API's answer to a batch: each sale's fate, and the batch is closed. */
  async markUploaded(result: PosOfflineBatchResult): Promise<void> {
    const byId = new Map(result.sales.map((r) => [r.sale_id, r]));
    const updated = (await this.mine())
      .filter((s) => s.batchId === result.batch_id)
      .map((s): QueuedSale => {
        const r = byId.get(s.id);
        if (!r) return { ...s, batchId: null }; // not answered: goes again in the next batch
        const status: QueuedStatus = r.status === 'rejected' ? 'rejected' : r.status === 'flagged' ? 'flagged' : 'accepted';
        return { ...s, batchId: null, status, receiptNo: r.receipt_no, flags: r.flags ?? [], code: r.code, detail: r.detail };
      });
    await this.store.putSales(updated);
    await this.store.putMeta(`${this.till}/lastUpload`, result);
    await this.store.putMeta(`${this.till}/lastError`, null);
  }

  /** releaseBatch: the API refused the batch itself (not the network): its sales go in a new one next time. */
  async releaseBatch(batchId: string): Promise<void> {
    const mine = (await this.mine()).filter((s) => s.batchId === batchId);
    await this.store.putSales(mine.map((s) => ({ ...s, batchId: null })));
  }

  async recordError(message: string): Promise<void> {
    await this.store.putMeta(`${this.till}/lastError`, message);
  }

  async summary(): Promise<QueueSummary> {
    const mine = await this.mine();
    return {
      pending: mine.filter((s) => s.status === 'pending').length,
      rejected: mine.filter((s) => s.status === 'rejected').length,
      lastError: ((await this.store.getMeta(`${this.till}/lastError`)) as string | null | undefined) ?? null,
      lastUpload: ((await this.store.getMeta(`${this.till}/lastUpload`)) as PosOfflineBatchResult | undefined) ?? null,
    };
  }

  /** nextOfflineSeq: the next number of the till's offline receipt series (F000001 …), kept with the queue. */
  async nextOfflineSeq(atLeast = 1): Promise<number> {
    const key = `${this.till}/offlineSeq`;
    const last = ((await this.store.getMeta(key)) as number | undefined) ?? 0;
    const next = Math.max(last + 1, atLeast);
    await this.store.putMeta(key, next);
    return next;
  }
}

/** Why an upload did not go through: the network (try again with the same batch) or the API's refusal. */
export type UploadFailure = { kind: 'network'; message: string } | { kind: 'refused'; message: string };

/**
 * uploadQueue sends the queue's next batch with send, records the answer,
 * and goes on while sales wait. A network failure keeps the batch (the
 * retry sends it again, same id); a refusal of the batch releases its
 * sales for a new one. Returns the results of the batches the API answered.
 */
export async function uploadQueue(
  queue: OfflineQueue,
  send: (batch: PosOfflineBatchInput) => Promise<PosOfflineBatchResult>,
  classify: (error: unknown) => UploadFailure,
  newId: () => string,
): Promise<PosOfflineBatchResult[]> {
  const answered: PosOfflineBatchResult[] = [];
  for (;;) {
    const batch = await queue.nextBatch(newId);
    if (!batch) return answered;
    let result: PosOfflineBatchResult;
    try {
      result = await send(batch);
    } catch (e) {
      const failure = classify(e);
      await queue.recordError(failure.message);
      if (failure.kind === 'refused') await queue.releaseBatch(batch.id);
      throw e;
    }
    await queue.markUploaded(result);
    answered.push(result);
    // A batch whose sales were not all answered would loop forever: stop.
    if (result.sales.length < batch.sales.length) return answered;
  }
}

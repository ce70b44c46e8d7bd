import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { PosOfflineBatchInput, PosOfflineBatchResult, PosOfflineSaleInput } from '../api/types';
import { indexedDbStore, memoryStore, OfflineQueue, uploadQueue, type UploadFailure } from './offline-queue';
import { uuidv7 } from './uuidv7';

const TILL = 'store-1/register-1';

function sale(seq: number): PosOfflineSaleInput {
  return {
    id: uuidv7(),
    lines: [{ barcode: '6901234001007', qty: 1000 }],
    tenders: [{ method: 'cash', amount: 200, tendered: 500 }],
    shift_id: '0190f5a4-0000-7000-8000-0000000000aa',
    sold_at: new Date(Date.UTC(2026, 0, 1, 8, 0, seq)).toISOString(),
    offline_seq: seq,
    offline_total: 200,
  };
}

const accepted = (batch: PosOfflineBatchInput, status: 'accepted' | 'flagged' | 'rejected' = 'accepted'): PosOfflineBatchResult => ({
  batch_id: batch.id,
  replayed: false,
  sales: batch.sales.map((s) => ({ sale_id: s.id, status, flags: status === 'flagged' ? ['price_mismatch'] : [], receipt_no: `F${String(s.offline_seq).padStart(6, '0')}` })),
});

const network: (e: unknown) => UploadFailure = (e) => ({ kind: 'network', message: String(e) });

describe('the offline queue', () => {
  it('enqueues sales once each, in the order made', async () => {
    const q = new OfflineQueue(memoryStore(), TILL);
    const a = sale(1);
    const b = sale(2);
    await q.enqueue(a, '2026-01-01T08:00:01Z');
    await q.enqueue(b, '2026-01-01T08:00:02Z');
    await q.enqueue(a, '2026-01-01T08:00:03Z');
    expect((await q.pending()).map((s) => s.id)).toEqual([a.id, b.id]);
    expect((await q.summary()).pending).toBe(2);
  });

  it('keeps one till apart from another', async () => {
    const store = memoryStore();
    await new OfflineQueue(store, TILL).enqueue(sale(1));
    expect(await new OfflineQueue(store, 'store-2/register-9').pending()).toEqual([]);
  });

  it('forms a batch and sends the same id with the same sales until it is answered', async () => {
    const q = new OfflineQueue(memoryStore(), TILL);
    await q.enqueue(sale(1));
    await q.enqueue(sale(2));
    const first = await q.nextBatch(uuidv7);
    // A sale made while the batch is out waits for the next one.
    await q.enqueue(sale(3));
    const again = await q.nextBatch(uuidv7);
    expect(again).toEqual(first);
    expect(first?.sales).toHaveLength(2);

    await q.markUploaded(accepted(first as PosOfflineBatchInput));
    const next = await q.nextBatch(uuidv7);
    expect(next?.id).not.toBe(first?.id);
    expect(next?.sales.map((s) => s.offline_seq)).toEqual([3]);
  });

  it('marks what the API said of each sale, and keeps the rejected ones', async () => {
    const q = new OfflineQueue(memoryStore(), TILL);
    await q.enqueue(sale(1));
    await q.enqueue(sale(2));
    const batch = (await q.nextBatch(uuidv7)) as PosOfflineBatchInput;
    const result = accepted(batch);
    result.sales[0] = { ...result.sales[0]!, status: 'flagged', flags: ['price_mismatch'] };
    result.sales[1] = { ...result.sales[1]!, status: 'rejected', code: 'pos.sku_not_found', detail: 'no such product' };
    await q.markUploaded(result);

    const list = await q.list();
    expect(list.map((s) => s.status)).toEqual(['flagged', 'rejected']);
    expect(list[1]?.code).toBe('pos.sku_not_found');
    const summary = await q.summary();
    expect(summary).toMatchObject({ pending: 0, rejected: 1, lastError: null });
    expect(summary.lastUpload?.batch_id).toBe(batch.id);
    expect(await q.nextBatch(uuidv7)).toBeNull();
  });

  it('retries a batch whose answer was lost with the same id, so nothing is created twice', async () => {
    const q = new OfflineQueue(memoryStore(), TILL);
    await q.enqueue(sale(1));
    const sent: string[] = [];
    let online = false;
    const send = async (batch: PosOfflineBatchInput) => {
      sent.push(batch.id);
      if (!online) throw new TypeError('Failed to fetch');
      return accepted(batch);
    };
    await expect(uploadQueue(q, send, network, uuidv7)).rejects.toThrow('Failed to fetch');
    expect((await q.summary()).lastError).toContain('Failed to fetch');
    await expect(uploadQueue(q, send, network, uuidv7)).rejects.toThrow();
    online = true;
    const results = await uploadQueue(q, send, network, uuidv7);
    expect(new Set(sent).size).toBe(1);
    expect(results).toHaveLength(1);
    expect(await q.summary()).toMatchObject({ pending: 0, lastError: null });
  });

  it('forms a new batch after the API refused one', async () => {
    const q = new OfflineQueue(memoryStore(), TILL);
    await q.enqueue(sale(1));
    const sent: string[] = [];
    const refuse = async (batch: PosOfflineBatchInput): Promise<PosOfflineBatchResult> => {
      sent.push(batch.id);
      throw new Error('pos.register_offline_not_allowed');
    };
    const refused = (e: unknown): UploadFailure => ({ kind: 'refused', message: String(e) });
    await expect(uploadQueue(q, refuse, refused, uuidv7)).rejects.toThrow();
    await expect(uploadQueue(q, refuse, refused, uuidv7)).rejects.toThrow();
    expect(sent[0]).not.toBe(sent[1]);
    expect((await q.summary()).pending).toBe(1);
  });

  it('numbers the offline receipts in one series', async () => {
    const q = new OfflineQueue(memoryStore(), TILL);
    expect(await q.nextOfflineSeq()).toBe(1);
    expect(await q.nextOfflineSeq()).toBe(2);
    expect(await q.nextOfflineSeq(10)).toBe(10);
    expect(await q.nextOfflineSeq()).toBe(11);
  });

  it('survives a reload in IndexedDB', async () => {
    const factory = new IDBFactory();
    const before = new OfflineQueue(await indexedDbStore(factory), TILL);
    const a = sale(1);
    await before.enqueue(a);
    await before.nextOfflineSeq();
    const batch = await before.nextBatch(uuidv7);
    await before.recordError('network');

    // "Reload": a new connection to the same database.
    const store = await indexedDbStore(factory);
    const after = new OfflineQueue(store, TILL);
    expect((await after.pending()).map((s) => s.sale)).toEqual([a]);
    expect(await after.nextBatch(uuidv7)).toEqual(batch);
    expect(await after.nextOfflineSeq()).toBe(2);
    expect((await after.summary()).lastError).toBe('network');
    await after.markUploaded(accepted(batch as PosOfflineBatchInput));
    store.close();

    const third = new OfflineQueue(await indexedDbStore(factory), TILL);
    expect(await third.pending()).toEqual([]);
    expect((await third.list())[0]?.status).toBe('accepted');
  });
});

import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError } from '../../api/problem';
import type { PosOfflineBatchResult, PosOfflineSaleInput } from '../../api/types';
import { indexedDbStore, memoryStore, OfflineQueue, uploadQueue, type QueueStore, type QueueSummary, type QueuedSale } from '../../lib/offline-queue';
import { uuidv7 } from '../../lib/uuidv7';
import { isUnreachable, uploadBatch } from './queries';

// The till's offline queue in React: the summary to show, enqueue, and
// uploads — every few seconds while sales wait, when the browser says it
// is online again, and on demand.

let opened: Promise<QueueStore> | null = null;
function openStore(): Promise<QueueStore> {
  opened ??= typeof indexedDB === 'undefined' ? Promise.resolve(memoryStore()) : indexedDbStore().catch(() => memoryStore());
  return opened;
}

const emptySummary: QueueSummary = { pending: 0, rejected: 0, lastError: null, lastUpload: null };

export interface OfflineQueueState {
  summary: QueueSummary;
  sales: QueuedSale[];
  uploading: boolean;
  enqueue: (sale: PosOfflineSaleInput) => Promise<void>;
  nextSeq: () => Promise<number>;
  upload: () => Promise<PosOfflineBatchResult[]>;
}

export function useOfflineQueue(storeId: string, registerId: string, enabled: boolean, onUploaded: (results: PosOfflineBatchResult[]) => void): OfflineQueueState {
  const [queue, setQueue] = useState<OfflineQueue | null>(null);
  const [summary, setSummary] = useState<QueueSummary>(emptySummary);
  const [sales, setSales] = useState<QueuedSale[]>([]);
  const [uploading, setUploading] = useState(false);
  const busy = useRef(false);
  const uploadedRef = useRef(onUploaded);
  uploadedRef.current = onUploaded;

  useEffect(() => {
    let live = true;
    void openStore().then((store) => {
      if (live) setQueue(new OfflineQueue(store, `${storeId}/${registerId}`));
    });
    return () => {
      live = false;
    };
  }, [storeId, registerId]);

  const refresh = useCallback(async (q: OfflineQueue) => {
    setSummary(await q.summary());
    setSales(await q.list());
  }, []);

  useEffect(() => {
    if (queue) void refresh(queue);
  }, [queue, refresh]);

  const upload = useCallback(async (): Promise<PosOfflineBatchResult[]> => {
    if (!queue || busy.current) return [];
    busy.current = true;
    setUploading(true);
    try {
      const results = await uploadQueue(
        queue,
        (batch) => uploadBatch(storeId, batch),
        (e) => ({ kind: isUnreachable(e) ? 'network' : 'refused', message: asApiError(e).code }),
        uuidv7,
      );
      if (results.length > 0) uploadedRef.current(results);
      return results;
    } catch {
      return [];
    } finally {
      busy.current = false;
      setUploading(false);
      await refresh(queue);
    }
  }, [queue, refresh, storeId]);

  // While sales wait: try every 5 s, and at once when the browser is back online.
  useEffect(() => {
    if (!enabled || summary.pending === 0) return;
    const timer = window.setInterval(() => void upload(), 5000);
    const online = () => void upload();
    window.addEventListener('online', online);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', online);
    };
  }, [enabled, summary.pending, upload]);

  const enqueue = useCallback(
    async (sale: PosOfflineSaleInput) => {
      const q = queue ?? new OfflineQueue(await openStore(), `${storeId}/${registerId}`);
      await q.enqueue(sale);
      await refresh(q);
    },
    [queue, refresh, storeId, registerId],
  );

  const nextSeq = useCallback(async () => {
    const q = queue ?? new OfflineQueue(await openStore(), `${storeId}/${registerId}`);
    return q.nextOfflineSeq();
  }, [queue, storeId, registerId]);

  return { summary, sales, uploading, enqueue, nextSeq, upload };
}

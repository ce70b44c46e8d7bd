import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PageArgs } from '../../api/pagination';
import type { CreateTransferInput, InventorySettingsInput, MovementInput, ReplenishmentPlan, ThresholdsInput, TransferQtyLine } from '../../api/types';
import type { operations } from '../../api/schema.gen';
import { saveBlob } from '../catalog/queries';

// Server state of inventory: stock by store, movements, alerts, lots,
// replenishment, stocktakes, transfers, analysis and the chain's settings.

type StockFilters = NonNullable<operations['listStock']['parameters']['query']>;
type MovementFilters = NonNullable<operations['listStockMovements']['parameters']['query']>;
type AlertFilters = NonNullable<operations['listStockAlerts']['parameters']['query']>;
type StocktakeFilters = NonNullable<operations['listStocktakes']['parameters']['query']>;
type TransferFilters = NonNullable<operations['listTransfers']['parameters']['query']>;
type TurnoverQuery = NonNullable<operations['inventoryTurnover']['parameters']['query']>;
type SlowQuery = NonNullable<operations['inventorySlowMovers']['parameters']['query']>;

export const inventoryKeys = {
  all: ['inventory'] as const,
  level: (storeId: string, skuId: string) => ['inventory', 'level', storeId, skuId] as const,
  settings: ['inventory', 'settings'] as const,
  stocktake: (id: string) => ['inventory', 'stocktakes', id] as const,
  variances: (id: string, uncountedAsZero: boolean) => ['inventory', 'stocktakes', id, 'variances', uncountedAsZero] as const,
  transfer: (id: string) => ['inventory', 'transfers', id] as const,
};

export const fetchStock = (storeId: string) => ({ limit, cursor, filters }: PageArgs<StockFilters>) =>
  unwrap(api.GET('/api/v1/inventory/stores/{store_id}/stock', { params: { path: { store_id: storeId }, query: { ...filters, limit, cursor } } }));

export const fetchMovements = (storeId: string) => ({ limit, cursor, filters }: PageArgs<MovementFilters>) =>
  unwrap(api.GET('/api/v1/inventory/stores/{store_id}/movements', { params: { path: { store_id: storeId }, query: { ...filters, limit, cursor } } }));

export const fetchAlerts = (storeId: string) => ({ limit, cursor, filters }: PageArgs<AlertFilters>) =>
  unwrap(api.GET('/api/v1/inventory/stores/{store_id}/alerts', { params: { path: { store_id: storeId }, query: { ...filters, limit, cursor } } }));

export const fetchStocktakes = ({ limit, cursor, filters }: PageArgs<StocktakeFilters>) =>
  unwrap(api.GET('/api/v1/inventory/stocktakes', { params: { query: { ...filters, limit, cursor } } }));

export const fetchTransfers = ({ limit, cursor, filters }: PageArgs<TransferFilters>) =>
  unwrap(api.GET('/api/v1/inventory/transfers', { params: { query: { ...filters, limit, cursor } } }));

export function useStockLevel(storeId: string, skuId: string) {
  return useQuery({
    queryKey: inventoryKeys.level(storeId, skuId),
    queryFn: () => unwrap(api.GET('/api/v1/inventory/stores/{store_id}/stock/{sku_id}', { params: { path: { store_id: storeId, sku_id: skuId } } })),
  });
}

export function useNearExpiry(storeId: string | null, withinDays: number | undefined) {
  return useQuery({
    queryKey: ['inventory', 'near-expiry', storeId, withinDays],
    enabled: !!storeId,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/inventory/stores/{store_id}/near-expiry', { params: { path: { store_id: storeId ?? '' }, query: { within_days: withinDays, limit: 1000 } } }),
      ),
  });
}

export function useReplenishment(storeId: string | null, days: number, reviewDays: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['inventory', 'replenishment', storeId, days, reviewDays],
    enabled: enabled && !!storeId,
    // format=json answers the JSON plan (the other formats are files).
    queryFn: async (): Promise<ReplenishmentPlan> =>
      (await unwrap(
        api.GET('/api/v1/inventory/stores/{store_id}/replenishment', {
          params: { path: { store_id: storeId ?? '' }, query: { days, review_days: reviewDays, format: 'json' } },
        }),
      )) as ReplenishmentPlan,
  });
}

export async function downloadReplenishment(storeId: string, days: number, reviewDays: number | undefined, format: 'csv' | 'xlsx') {
  const blob = await unwrap(
    api.GET('/api/v1/inventory/stores/{store_id}/replenishment', {
      params: { path: { store_id: storeId }, query: { days, review_days: reviewDays, format } },
      parseAs: 'blob',
    }),
  );
  saveBlob(blob as unknown as Blob, `replenishment.${format}`);
}

export function useInventorySettings() {
  return useQuery({ queryKey: inventoryKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/inventory/settings')) });
}

export function useStocktake(id: string) {
  return useQuery({ queryKey: inventoryKeys.stocktake(id), queryFn: () => unwrap(api.GET('/api/v1/inventory/stocktakes/{id}', { params: { path: { id } } })) });
}

export function useVariances(id: string, uncountedAsZero: boolean, enabled: boolean) {
  return useQuery({
    queryKey: inventoryKeys.variances(id, uncountedAsZero),
    enabled,
    queryFn: () =>
      unwrap(api.GET('/api/v1/inventory/stocktakes/{id}/variances', { params: { path: { id }, query: { uncounted_as_zero: uncountedAsZero } } })),
  });
}

export function useTransfer(id: string) {
  return useQuery({ queryKey: inventoryKeys.transfer(id), queryFn: () => unwrap(api.GET('/api/v1/inventory/transfers/{id}', { params: { path: { id } } })) });
}

export function useStockValue(enabled: boolean) {
  return useQuery({ queryKey: ['inventory', 'analysis', 'stock-value'], enabled, queryFn: () => unwrap(api.GET('/api/v1/inventory/analysis/stock-value')) });
}

export function useTurnover(query: TurnoverQuery, enabled: boolean) {
  return useQuery({
    queryKey: ['inventory', 'analysis', 'turnover', query],
    enabled,
    queryFn: () => unwrap(api.GET('/api/v1/inventory/analysis/turnover', { params: { query } })),
  });
}

export function useSlowMovers(query: SlowQuery, enabled: boolean) {
  return useQuery({
    queryKey: ['inventory', 'analysis', 'slow-movers', query],
    enabled,
    queryFn: () => unwrap(api.GET('/api/v1/inventory/analysis/slow-movers', { params: { query } })),
  });
}

export function useStockOuts(enabled: boolean) {
  return useQuery({ queryKey: ['inventory', 'analysis', 'stock-outs'], enabled, queryFn: () => unwrap(api.GET('/api/v1/inventory/analysis/stock-outs')) });
}

const invalidate = (queryClient: ReturnType<typeof useQueryClient>) => queryClient.invalidateQueries({ queryKey: inventoryKeys.all });

export function useCreateMovement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: MovementInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/inventory/movements', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useSetThresholds(storeId: string, skuId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ThresholdsInput) =>
      unwrap(api.PUT('/api/v1/inventory/stores/{store_id}/stock/{sku_id}/thresholds', { params: { path: { store_id: storeId, sku_id: skuId } }, body })),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: InventorySettingsInput) => unwrap(api.PUT('/api/v1/inventory/settings', { body })),
    onSuccess: (s) => queryClient.setQueryData(inventoryKeys.settings, s),
  });
}

export function useOpenStocktake() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: { store_id: string; category_ids?: string[]; blind?: boolean; note?: string }; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/inventory/stocktakes', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useAddCounts(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { batch_id: string; lines: { sku_id: string; qty: number }[] }) =>
      unwrap(api.POST('/api/v1/inventory/stocktakes/{id}/counts', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inventoryKeys.stocktake(id) }),
  });
}

export function usePostStocktake(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ uncountedAsZero, idempotencyKey }: { uncountedAsZero: boolean; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/inventory/stocktakes/{id}/post', {
          params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
          body: { uncounted_as_zero: uncountedAsZero },
        }),
      ),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useCancelStocktake(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/inventory/stocktakes/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useCreateTransfer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateTransferInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/inventory/transfers', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidate(queryClient),
  });
}

export type TransferAction = 'approve' | 'ship' | 'receive' | 'cancel';

export function useTransferAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, lines, idempotencyKey }: { action: TransferAction; lines?: TransferQtyLine[]; idempotencyKey: string }) => {
      const path = { id };
      switch (action) {
        case 'approve':
          return unwrap(api.POST('/api/v1/inventory/transfers/{id}/approve', { params: { path } }));
        case 'cancel':
          return unwrap(api.POST('/api/v1/inventory/transfers/{id}/cancel', { params: { path } }));
        case 'ship':
          return unwrap(api.POST('/api/v1/inventory/transfers/{id}/ship', { params: { path, header: { 'Idempotency-Key': idempotencyKey } }, body: { lines } }));
        case 'receive':
          return unwrap(api.POST('/api/v1/inventory/transfers/{id}/receive', { params: { path, header: { 'Idempotency-Key': idempotencyKey } }, body: { lines } }));
      }
    },
    onSuccess: (transfer) => {
      queryClient.setQueryData(inventoryKeys.transfer(id), transfer);
      return invalidate(queryClient);
    },
  });
}

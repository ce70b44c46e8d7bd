import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PageArgs } from '../../api/pagination';
import type { PosRegisterInput, PosRegisterUpdate, PosSettingsInput } from '../../api/types';
import type { operations } from '../../api/schema.gen';

// Server state of the POS back office: registers, shifts, day-end, sales,
// returns, the offline queue, the chain's POS settings and the approval PIN.
// Store-scoped calls take the store from the header's switcher.

export type SaleFilters = NonNullable<operations['listPosSales']['parameters']['query']>;
type ShiftFilters = NonNullable<operations['listPosShifts']['parameters']['query']>;
type OfflineFilters = NonNullable<operations['listPosOfflineSales']['parameters']['query']>;

export const posKeys = {
  all: ['pos'] as const,
  registers: (storeId: string) => ['pos', 'registers', storeId] as const,
  shift: (storeId: string, id: string) => ['pos', 'shift', storeId, id] as const,
  shiftReport: (storeId: string, id: string) => ['pos', 'shift-report', storeId, id] as const,
  dayEnd: (storeId: string, date: string) => ['pos', 'day-end', storeId, date] as const,
  sale: (storeId: string, id: string) => ['pos', 'sale', storeId, id] as const,
  receipt: (storeId: string, id: string) => ['pos', 'receipt', storeId, id] as const,
  ret: (storeId: string, id: string) => ['pos', 'return', storeId, id] as const,
  offline: (storeId: string, filters: OfflineFilters) => ['pos', 'offline', storeId, filters] as const,
  settings: ['pos', 'settings'] as const,
};

const store = (storeId: string) => ({ store_id: storeId });

// ── registers ──

export function useRegisters(storeId: string | null) {
  return useQuery({
    queryKey: posKeys.registers(storeId ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/stores/{store_id}/pos/registers', { params: { path: store(storeId ?? '') } })),
    enabled: storeId !== null,
    select: (list) => list.data,
  });
}

export function useCreateRegister(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: PosRegisterInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/stores/{store_id}/pos/registers', {
          params: { path: store(storeId), header: { 'Idempotency-Key': idempotencyKey } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: posKeys.registers(storeId) }),
  });
}

export function useUpdateRegister(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PosRegisterUpdate }) =>
      unwrap(api.PATCH('/api/v1/stores/{store_id}/pos/registers/{id}', { params: { path: { ...store(storeId), id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: posKeys.registers(storeId) }),
  });
}

export function useRegisterAction(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'revoke' | 'rekey' }) =>
      unwrap(api.POST('/api/v1/stores/{store_id}/pos/registers/{id}/{action}', { params: { path: { ...store(storeId), id, action } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: posKeys.registers(storeId) }),
  });
}

// ── shifts and day-end ──

export const fetchShifts =
  (storeId: string) =>
  ({ limit, cursor, filters }: PageArgs<ShiftFilters>) =>
    unwrap(api.GET('/api/v1/stores/{store_id}/pos/shifts', { params: { path: store(storeId), query: { ...filters, limit, cursor } } }));

export function useShift(storeId: string, id: string) {
  return useQuery({
    queryKey: posKeys.shift(storeId, id),
    queryFn: () => unwrap(api.GET('/api/v1/stores/{store_id}/pos/shifts/{id}', { params: { path: { ...store(storeId), id } } })),
  });
}

export function useShiftReport(storeId: string, id: string) {
  return useQuery({
    queryKey: posKeys.shiftReport(storeId, id),
    queryFn: () => unwrap(api.GET('/api/v1/stores/{store_id}/pos/shifts/{id}/report', { params: { path: { ...store(storeId), id } } })),
  });
}

export function useApproveShift(storeId: string, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (note: string) =>
      unwrap(api.POST('/api/v1/stores/{store_id}/pos/shifts/{id}/approve', { params: { path: { ...store(storeId), id } }, body: { note } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: posKeys.all }),
  });
}

export function useDayEnd(storeId: string | null, date: string) {
  return useQuery({
    queryKey: posKeys.dayEnd(storeId ?? '', date),
    queryFn: () => unwrap(api.GET('/api/v1/stores/{store_id}/pos/day-end', { params: { path: store(storeId ?? ''), query: { date } } })),
    enabled: storeId !== null && date !== '',
    placeholderData: keepPreviousData,
  });
}

// ── sales and returns ──

/** fetchSales: the chain-wide history over the stores the caller reads reports of (store_id narrows it). */
export const fetchSales = ({ limit, cursor, filters }: PageArgs<SaleFilters>) =>
  unwrap(api.GET('/api/v1/pos/sales', { params: { query: { ...filters, limit, cursor } } }));

export function useSale(storeId: string, id: string) {
  return useQuery({
    queryKey: posKeys.sale(storeId, id),
    queryFn: () => unwrap(api.GET('/api/v1/stores/{store_id}/pos/sales/{id}', { params: { path: { ...store(storeId), id } } })),
  });
}

export function useReceipt(storeId: string, id: string, enabled: boolean) {
  return useQuery({
    queryKey: posKeys.receipt(storeId, id),
    queryFn: () =>
      unwrap(api.GET('/api/v1/stores/{store_id}/pos/sales/{id}/receipt', { params: { path: { ...store(storeId), id }, query: { format: 'json' } } })),
    enabled,
    select: (r) => (typeof r === 'string' ? r : r.text),
  });
}

export function useSaleInvoices(storeId: string, id: string) {
  return useQuery({
    queryKey: ['pos', 'sale-invoices', storeId, id],
    queryFn: () => unwrap(api.GET('/api/v1/stores/{store_id}/pos/sales/{id}/einvoices', { params: { path: { ...store(storeId), id } } })),
    select: (list) => list.data,
    retry: false,
  });
}

export function useReturn(storeId: string, id: string) {
  return useQuery({
    queryKey: posKeys.ret(storeId, id),
    queryFn: () => unwrap(api.GET('/api/v1/stores/{store_id}/pos/returns/{id}', { params: { path: { ...store(storeId), id } } })),
  });
}

// ── the offline queue ──

export function useOfflineQueue(storeId: string | null, filters: OfflineFilters) {
  return useQuery({
    queryKey: posKeys.offline(storeId ?? '', filters),
    queryFn: () =>
      unwrap(api.GET('/api/v1/stores/{store_id}/pos/offline-sales', { params: { path: store(storeId ?? ''), query: { limit: 200, ...filters } } })),
    enabled: storeId !== null,
    select: (q) => q.data,
  });
}

export function useReviewOffline(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (saleId: string) =>
      unwrap(api.POST('/api/v1/stores/{store_id}/pos/offline-sales/{id}/review', { params: { path: { ...store(storeId), id: saleId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['pos', 'offline', storeId] }),
  });
}

// ── settings and the PIN ──

export function usePosSettings() {
  return useQuery({ queryKey: posKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/pos/settings')) });
}

export function useSavePosSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PosSettingsInput) => unwrap(api.PUT('/api/v1/pos/settings', { body })),
    onSuccess: (settings) => queryClient.setQueryData(posKeys.settings, settings),
  });
}

export function useSetApprovalPin() {
  return useMutation({ mutationFn: (pin: string) => unwrap(api.PUT('/api/v1/pos/approval-pin', { body: { pin } })) });
}

// ── names for ids ──


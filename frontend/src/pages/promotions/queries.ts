import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PageArgs } from '../../api/pagination';
import { networkError, toApiError } from '../../api/problem';
import type { CouponBatchInput, PromotionInput, PromotionSettingsInput, PromotionUpdate } from '../../api/types';
import type { operations } from '../../api/schema.gen';

// Server state of promotions and coupons: promotions with their effect and
// opt-outs, the franchise rules, coupon batches and coupons; and the
// catalog/member look-ups the promotion form's pickers use.

export type PromotionFilters = NonNullable<operations['listPromotions']['parameters']['query']>;
type BatchFilters = NonNullable<operations['listCouponBatches']['parameters']['query']>;
type CouponFilters = NonNullable<operations['listCoupons']['parameters']['query']>;

export const promotionKeys = {
  all: ['promotions'] as const,
  detail: (id: string) => ['promotions', 'detail', id] as const,
  effect: (id: string, from: string, to: string) => ['promotions', 'effect', id, from, to] as const,
  settings: ['promotions', 'settings'] as const,
  batches: ['coupon-batches'] as const,
  batch: (id: string) => ['coupon-batches', 'detail', id] as const,
  coupons: ['coupons'] as const,
};

export const fetchPromotions = ({ limit, cursor, filters }: PageArgs<PromotionFilters>) =>
  unwrap(api.GET('/api/v1/promotions', { params: { query: { ...filters, limit, cursor } } }));

export function usePromotion(id: string) {
  return useQuery({ queryKey: promotionKeys.detail(id), queryFn: () => unwrap(api.GET('/api/v1/promotions/{id}', { params: { path: { id } } })) });
}

export function useCreatePromotion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: PromotionInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/promotions', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: promotionKeys.all }),
  });
}

export function useUpdatePromotion(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PromotionUpdate) => unwrap(api.PATCH('/api/v1/promotions/{id}', { params: { path: { id } }, body })),
    onSuccess: (p) => {
      queryClient.setQueryData(promotionKeys.detail(id), p);
      return queryClient.invalidateQueries({ queryKey: promotionKeys.all });
    },
  });
}

export type PromotionAction = 'activate' | 'pause' | 'end';

export function usePromotionAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: PromotionAction) => {
      const path = { params: { path: { id } } };
      if (action === 'activate') return unwrap(api.POST('/api/v1/promotions/{id}/activate', path));
      if (action === 'pause') return unwrap(api.POST('/api/v1/promotions/{id}/pause', path));
      return unwrap(api.POST('/api/v1/promotions/{id}/end', path));
    },
    onSuccess: (p) => {
      queryClient.setQueryData(promotionKeys.detail(id), p);
      return queryClient.invalidateQueries({ queryKey: promotionKeys.all });
    },
  });
}

export function useDeletePromotion(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/promotions/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: promotionKeys.all }),
  });
}

export function useOptOut(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ storeId, out }: { storeId: string; out: boolean }) => {
      const params = { params: { path: { id, store_id: storeId } } };
      return out
        ? unwrap(api.PUT('/api/v1/promotions/{id}/opt-outs/{store_id}', params))
        : unwrap(api.DELETE('/api/v1/promotions/{id}/opt-outs/{store_id}', params));
    },
    onSuccess: (p) => {
      queryClient.setQueryData(promotionKeys.detail(id), p);
      return queryClient.invalidateQueries({ queryKey: promotionKeys.all });
    },
  });
}

export function usePromotionEffect(id: string, from: string, to: string, enabled = true) {
  return useQuery({
    queryKey: promotionKeys.effect(id, from, to),
    queryFn: () => unwrap(api.GET('/api/v1/promotions/{id}/effect', { params: { path: { id }, query: { from, to } } })),
    enabled,
  });
}

export function usePromotionSettings() {
  return useQuery({ queryKey: promotionKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/promotion-settings')) });
}

export function useSavePromotionSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PromotionSettingsInput) => unwrap(api.PUT('/api/v1/promotion-settings', { body })),
    onSuccess: (s) => queryClient.setQueryData(promotionKeys.settings, s),
  });
}

// ── coupons ──

export const fetchBatches = ({ limit, cursor, filters }: PageArgs<BatchFilters>) =>
  unwrap(api.GET('/api/v1/coupon-batches', { params: { query: { ...filters, limit, cursor } } }));

export const fetchCoupons = ({ limit, cursor, filters }: PageArgs<CouponFilters>) =>
  unwrap(api.GET('/api/v1/coupons', { params: { query: { ...filters, limit, cursor } } }));

export function useBatch(id: string) {
  return useQuery({ queryKey: promotionKeys.batch(id), queryFn: () => unwrap(api.GET('/api/v1/coupon-batches/{id}', { params: { path: { id } } })) });
}

export function useCreateBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CouponBatchInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/coupon-batches', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: promotionKeys.batches }),
  });
}

export function useIssueCoupons(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ memberIds, idempotencyKey }: { memberIds: string[]; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/coupon-batches/{id}/issue', {
          params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
          body: { member_ids: memberIds },
        }),
      ),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: promotionKeys.batches }), queryClient.invalidateQueries({ queryKey: promotionKeys.coupons })]),
  });
}

export function useGenerateCodes(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ count, idempotencyKey }: { count: number; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/coupon-batches/{id}/codes', {
          params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
          body: { count },
        }),
      ),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: promotionKeys.batches }), queryClient.invalidateQueries({ queryKey: promotionKeys.coupons })]),
  });
}

/**
 * downloadCodes saves a batch's codes (CSV or XLSX) as a file, through the
 * one HTTP layer (bearer and refresh); a refused export throws its problem.
 */
export async function downloadCodes(id: string, format: 'csv' | 'xlsx'): Promise<void> {
  let answer;
  try {
    answer = await api.GET('/api/v1/coupon-batches/{id}/codes', { params: { path: { id }, query: { format } }, parseAs: 'blob' });
  } catch (e) {
    throw networkError(e);
  }
  if (!answer.response.ok || !answer.data) throw toApiError(answer.response, answer.error);
  const name = /filename="([^"]+)"/.exec(answer.response.headers.get('Content-Disposition') ?? '')?.[1] ?? `coupons-${id}.${format}`;
  const url = URL.createObjectURL(answer.data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function useLookupCoupon(code: string) {
  return useQuery({
    queryKey: ['coupons', 'code', code],
    queryFn: () => unwrap(api.GET('/api/v1/coupons/{code}', { params: { path: { code } } })),
    enabled: code !== '',
    retry: false,
  });
}

export function useVoidCoupon() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/v1/coupons/{code}/void', { params: { path: { code } } })),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: promotionKeys.coupons }), queryClient.invalidateQueries({ queryKey: promotionKeys.batches })]),
  });
}

// ── look-ups for the pickers ──

export function useCategoryOptions() {
  return useQuery({
    queryKey: ['catalog', 'categories', 'options'],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/categories', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
    select: (page) => page.data,
  });
}

export function useBrandOptions() {
  return useQuery({
    queryKey: ['catalog', 'brands', 'options'],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/brands', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
    select: (page) => page.data,
  });
}

export function useTierOptions() {
  return useQuery({
    queryKey: ['members', 'tiers'],
    queryFn: () => unwrap(api.GET('/api/v1/member-tiers')),
    staleTime: 60_000,
    select: (list) => list.data,
    retry: false,
  });
}

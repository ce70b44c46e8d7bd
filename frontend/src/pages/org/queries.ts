import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PageArgs } from '../../api/pagination';
import type { CreateStoreInput, FranchiseeInput, UpdateStoreInput, UpdateTenantInput } from '../../api/types';
import { meQueryKey } from '../../app/session';
import type { components, operations } from '../../api/schema.gen';

// Server state of tenant/org (stores and franchisees): query keys, loaders
// and mutations, shared by the module's pages.

type StoreFilters = NonNullable<operations['listStores']['parameters']['query']>;
type FranchiseeFilters = NonNullable<operations['listFranchisees']['parameters']['query']>;
type UpdateFranchiseeInput = components['schemas']['UpdateFranchiseeInput'];

export const storeKeys = {
  all: ['stores'] as const,
  detail: (id: string) => ['stores', 'detail', id] as const,
};
export const franchiseeKeys = {
  all: ['franchisees'] as const,
  options: ['franchisees', 'options'] as const,
  detail: (id: string) => ['franchisees', 'detail', id] as const,
};

export const fetchStores = ({ limit, cursor, filters }: PageArgs<StoreFilters>) =>
  unwrap(api.GET('/api/v1/stores', { params: { query: { ...filters, limit, cursor } } }));

export const fetchFranchisees = ({ limit, cursor, filters }: PageArgs<FranchiseeFilters>) =>
  unwrap(api.GET('/api/v1/franchisees', { params: { query: { ...filters, limit, cursor } } }));

export function useStore(id: string) {
  return useQuery({ queryKey: storeKeys.detail(id), queryFn: () => unwrap(api.GET('/api/v1/stores/{id}', { params: { path: { id } } })) });
}

export function useFranchisee(id: string) {
  return useQuery({
    queryKey: franchiseeKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/franchisees/{id}', { params: { path: { id } } })),
  });
}

/** useStoreOptions: stores in the caller's scope for pickers and name look-ups (the first 200). */
export function useStoreOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['stores', 'options'],
    queryFn: () => unwrap(api.GET('/api/v1/stores', { params: { query: { limit: 200 } } })),
    enabled,
    select: (page) => page.data,
    staleTime: 60_000,
  });
}

/** useFranchiseeOptions: the chain's franchisees for pickers and name look-ups (the first 200). */
export function useFranchiseeOptions(enabled: boolean) {
  return useQuery({
    queryKey: franchiseeKeys.options,
    queryFn: () => unwrap(api.GET('/api/v1/franchisees', { params: { query: { limit: 200 } } })),
    enabled,
    select: (page) => page.data,
    staleTime: 60_000,
  });
}

export function useCreateStore() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateStoreInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/stores', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storeKeys.all }),
  });
}

export function useUpdateStore(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateStoreInput) => unwrap(api.PATCH('/api/v1/stores/{id}', { params: { path: { id } }, body })),
    onSuccess: (store) => {
      queryClient.setQueryData(storeKeys.detail(id), store);
      return queryClient.invalidateQueries({ queryKey: storeKeys.all });
    },
  });
}

export function useCreateFranchisee() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: FranchiseeInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/franchisees', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: franchiseeKeys.all }),
  });
}

export function useUpdateFranchisee(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateFranchiseeInput) => unwrap(api.PATCH('/api/v1/franchisees/{id}', { params: { path: { id } }, body })),
    onSuccess: (franchisee) => {
      queryClient.setQueryData(franchiseeKeys.detail(id), franchisee);
      return queryClient.invalidateQueries({ queryKey: franchiseeKeys.all });
    },
  });
}

/** useChainProfile: the signed-in user's own chain (GET /tenant). */
export function useChainProfile() {
  return useQuery({ queryKey: ['tenant'], queryFn: () => unwrap(api.GET('/api/v1/tenant')) });
}

/** useUpdateChainProfile saves the chain profile; /me (which carries the chain) is read again. */
export function useUpdateChainProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateTenantInput) => unwrap(api.PATCH('/api/v1/tenant', { body })),
    onSuccess: (chain) => {
      queryClient.setQueryData(['tenant'], chain);
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
}

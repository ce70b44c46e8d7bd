import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema.gen';

// Server state of tenant/authz (roles and the permission catalogue).

type CreateRoleInput = components['schemas']['CreateRoleInput'];
type UpdateRoleInput = components['schemas']['UpdateRoleInput'];

export const roleKeys = {
  all: ['roles'] as const,
  list: ['roles', 'list'] as const,
  detail: (id: string) => ['roles', 'detail', id] as const,
  permissions: ['permissions'] as const,
};

/** useRoles: every role of the chain (not paginated), for the roles screen and for role pickers. */
export function useRoles(enabled = true) {
  return useQuery({ queryKey: roleKeys.list, queryFn: () => unwrap(api.GET('/api/v1/roles')), select: (list) => list.data, enabled });
}

export function useRole(id: string, enabled: boolean) {
  return useQuery({
    queryKey: roleKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/roles/{id}', { params: { path: { id } } })),
    enabled,
  });
}

export function usePermissions() {
  return useQuery({
    queryKey: roleKeys.permissions,
    queryFn: () => unwrap(api.GET('/api/v1/permissions')),
    select: (list) => list.data,
    staleTime: Infinity,
  });
}

export function useCreateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateRoleInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/roles', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roleKeys.all }),
  });
}

export function useUpdateRole(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateRoleInput) => unwrap(api.PATCH('/api/v1/roles/{id}', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roleKeys.all }),
  });
}

export function useDeleteRole(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/roles/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roleKeys.all }),
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PageArgs } from '../../api/pagination';
import type { AssignmentInput } from '../../api/types';
import type { components, operations } from '../../api/schema.gen';

// Server state of tenant/users (staff and their role assignments).

type UserFilters = NonNullable<operations['listUsers']['parameters']['query']>;
type CreateUserInput = components['schemas']['CreateUserInput'];
type UpdateUserInput = components['schemas']['UpdateUserInput'];

export const userKeys = {
  all: ['users'] as const,
  detail: (id: string) => ['users', 'detail', id] as const,
};

export const fetchUsers = ({ limit, cursor, filters }: PageArgs<UserFilters>) =>
  unwrap(api.GET('/api/v1/users', { params: { query: { ...filters, limit, cursor } } }));

export function useUser(id: string) {
  return useQuery({ queryKey: userKeys.detail(id), queryFn: () => unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id } } })) });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return (id?: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: userKeys.all }),
      ...(id ? [queryClient.invalidateQueries({ queryKey: userKeys.detail(id) })] : []),
    ]);
}

export function useInviteUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateUserInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/users', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateUser(id: string) {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: UpdateUserInput) => unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: () => invalidate(id),
  });
}

export function useAssignRoles(id: string) {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (assignments: AssignmentInput[]) =>
      unwrap(api.PUT('/api/v1/users/{id}/roles', { params: { path: { id } }, body: { assignments } })),
    onSuccess: () => invalidate(id),
  });
}

/** useUserAction: disable, enable, or issue a password-reset token. */
export function useUserAction() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: async ({ id, action }: { id: string; action: 'disable' | 'enable' | 'reset-password' }) => {
      const path = { params: { path: { id } } };
      if (action === 'reset-password') return unwrap(api.POST('/api/v1/users/{id}/reset-password', path));
      return unwrap(action === 'disable' ? api.POST('/api/v1/users/{id}/disable', path) : api.POST('/api/v1/users/{id}/enable', path));
    },
    onSuccess: (_, { id }) => invalidate(id),
  });
}

/** useStaffNames: staff names by id (the first 200 the caller may see; see API-GAPS 4), for pickers and tables; needs users:read. */
export function useStaffNames(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'names'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
    enabled,
    staleTime: 60_000,
    select: (page) => new Map(page.data.map((u) => [u.id, u.name])),
  });
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { normalize } from './mapping';

// Server state of the dashboard: today's figures over the caller's stores
// (the API scopes them), or one store's.

export const dashboardKeys = { figures: (storeId: string | null) => ['dashboard', storeId] as const };

export function useDashboard(storeId: string | null) {
  return useQuery({
    queryKey: dashboardKeys.figures(storeId),
    queryFn: () => unwrap(api.GET('/api/v1/dashboard', { params: { query: storeId ? { store_id: storeId } : {} } })),
    select: normalize,
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
}

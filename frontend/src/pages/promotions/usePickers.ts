import { useCallback, useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import { useAccess } from '../../app/session';
import { useCurrentStore } from '../../app/store-context';
import { useStoreOptions } from '../org/queries';
import type { PromotionPickers } from './PromotionForm';
import { useBrandOptions, useCategoryOptions, useTierOptions } from './queries';

/** usePromotionPickers: the option lists the promotion and coupon forms pick from. */
export function usePromotionPickers(): PromotionPickers {
  const { can } = useAccess();
  const { storeId } = useCurrentStore();
  const stores = useStoreOptions(can('stores.read'));
  const categories = useCategoryOptions();
  const brands = useBrandOptions();
  const tiers = useTierOptions();
  // SKUs are searched through a store's till look-up (no chain-wide SKU search yet).
  const lookupStore = storeId ?? stores.data?.find((s) => s.status === 'active')?.id;
  const searchSkus = useCallback(
    async (q: string) => {
      if (!lookupStore) return [];
      const found = await unwrap(api.GET('/api/v1/stores/{store_id}/pos/lookup', { params: { path: { store_id: lookupStore }, query: { q, limit: 50 } } }));
      return found.data.map((i) => ({ value: i.sku_id, label: `${i.name}（${i.code}）` }));
    },
    [lookupStore],
  );
  return useMemo(
    () => ({
      stores: (stores.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` })),
      categories: (categories.data ?? []).map((c) => ({ value: c.id, label: `${'　'.repeat(Math.max(0, c.depth - 1))}${c.name}` })),
      brands: (brands.data ?? []).map((b) => ({ value: b.id, label: b.name })),
      tiers: (tiers.data ?? []).map((x) => ({ value: x.id, label: x.name })),
      searchSkus,
    }),
    [stores.data, categories.data, brands.data, tiers.data, searchSkus],
  );
}

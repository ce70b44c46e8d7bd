import { useCallback, useMemo } from 'react';
import { useAccess } from '../../app/session';
import type { SkuMatch } from '../../api/types';
import { searchSkus as searchChainSkus, skusByIds } from '../catalog/queries';
import { useStoreOptions } from '../org/queries';
import type { PromotionPickers } from './PromotionForm';
import { useBrandOptions, useCategoryOptions, useTierOptions } from './queries';

/** usePromotionPickers: the option lists the promotion and coupon forms pick from. */
export function usePromotionPickers(): PromotionPickers {
  const { can } = useAccess();
  const stores = useStoreOptions(can('stores.read'));
  const categories = useCategoryOptions();
  const brands = useBrandOptions();
  const tiers = useTierOptions();
  // SKUs come from the chain's SKU search: no store needed, SKUs on sale only;
  // a stored promotion's SKUs are named by id whatever their status.
  const searchSkus = useCallback(async (q: string) => (await searchChainSkus(q, 'active', 50)).map(skuOption), []);
  const nameSkus = useCallback(async (ids: string[]) => (await skusByIds(ids)).map(skuOption), []);
  return useMemo(
    () => ({
      stores: (stores.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` })),
      categories: (categories.data ?? []).map((c) => ({ value: c.id, label: `${'　'.repeat(Math.max(0, c.depth - 1))}${c.name}` })),
      brands: (brands.data ?? []).map((b) => ({ value: b.id, label: b.name })),
      tiers: (tiers.data ?? []).map((x) => ({ value: x.id, label: x.name })),
      searchSkus,
      nameSkus,
    }),
    [stores.data, categories.data, brands.data, tiers.data, searchSkus, nameSkus],
  );
}

const skuOption = (i: SkuMatch) => ({ value: i.sku_id, label: `${i.name}（${i.code}）` });

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { asApiError } from '../../api/problem';
import type { PageArgs } from '../../api/pagination';
import type {
  ScaleLayouts,
  CatalogImport,
  CategoryNode,
  CreateCategoryInput,
  CreateProductInput,
  CreateSkuInput,
  SetPriceInput,
  UnitInput,
  UpdateCategoryInput,
  UpdateProductInput,
  UpdateSkuInput,
} from '../../api/types';
import type { operations } from '../../api/schema.gen';

// Server state of the catalog (categories, brands, units, products, SKUs,
// barcodes, prices, imports) and what the price labels read.

type ProductFilters = NonNullable<operations['listProducts']['parameters']['query']>;
type BrandFilters = NonNullable<operations['listBrands']['parameters']['query']>;

export const catalogKeys = {
  all: ['catalog'] as const,
  tree: ['catalog', 'categories', 'tree'] as const,
  brands: ['catalog', 'brands'] as const,
  units: ['catalog', 'units'] as const,
  products: ['catalog', 'products'] as const,
  product: (id: string) => ['catalog', 'products', 'detail', id] as const,
  prices: (skuId: string) => ['catalog', 'prices', skuId] as const,
  importJob: (id: string) => ['catalog', 'imports', id] as const,
};

/** fetchProducts: a page of products, each with its SKUs and HQ's prices in force now (cost only for price setters and finance). */
export const fetchProducts = ({ limit, cursor, filters }: PageArgs<ProductFilters>) =>
  unwrap(api.GET('/api/v1/catalog/products', { params: { query: { ...filters, with: 'prices', limit, cursor } } }));

export const fetchBrands = ({ limit, cursor, filters }: PageArgs<BrandFilters>) =>
  unwrap(api.GET('/api/v1/catalog/brands', { params: { query: { ...filters, limit, cursor } } }));

export const fetchPriceVersions = (skuId: string, storeId?: string) => ({ limit, cursor }: PageArgs<Record<string, unknown>>) =>
  unwrap(api.GET('/api/v1/catalog/skus/{id}/prices', { params: { path: { id: skuId }, query: { limit, cursor, store_id: storeId } } }));

export function useCategoryTree() {
  return useQuery({ queryKey: catalogKeys.tree, queryFn: () => unwrap(api.GET('/api/v1/catalog/categories/tree')), select: (t) => t.data, staleTime: 30_000 });
}

/** flattenTree: every category with its path ("食品 / 饮料"), depth first, for pickers and name look-ups. */
export function flattenTree(nodes: CategoryNode[], prefix = ''): { id: string; code: string; name: string; path: string; node: CategoryNode }[] {
  return nodes.flatMap((n) => {
    const path = prefix ? `${prefix} / ${n.name}` : n.name;
    return [{ id: n.id, code: n.code, name: n.name, path, node: n }, ...flattenTree(n.children, path)];
  });
}

/** useBrandOptions: the chain's brands for pickers and name look-ups (the first 200). */
export function useBrandOptions() {
  return useQuery({
    queryKey: [...catalogKeys.brands, 'options'],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/brands', { params: { query: { limit: 200 } } })),
    select: (p) => p.data,
    staleTime: 60_000,
  });
}

export function useUnits() {
  return useQuery({ queryKey: catalogKeys.units, queryFn: () => unwrap(api.GET('/api/v1/catalog/units')), select: (u) => u.data, staleTime: 60_000 });
}

export function useProduct(id: string) {
  return useQuery({ queryKey: catalogKeys.product(id), queryFn: () => unwrap(api.GET('/api/v1/catalog/products/{id}', { params: { path: { id } } })) });
}

export function useCurrentPrice(skuId: string, storeId?: string) {
  return useQuery({
    queryKey: [...catalogKeys.prices(skuId), 'current', storeId ?? 'hq'],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/skus/{id}/price', { params: { path: { id: skuId }, query: { store_id: storeId } } })),
  });
}

/** importBusy: the job is still validating or committing (poll it). */
export const importBusy = (job: CatalogImport | undefined) =>
  !!job && (job.status === 'committing' || (job.status === 'validated' && job.processed_rows < job.total_rows));

/** useImportJob: an import's report, polled every second while it is busy. */
export function useImportJob(id: string | undefined) {
  return useQuery({
    queryKey: catalogKeys.importJob(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/imports/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
    refetchInterval: (query) => (importBusy(query.state.data) ? 1000 : false),
  });
}

/** SkuStatus narrows the chain's SKU search: active only, or (undefined) discontinued SKUs too. */
export type SkuStatus = NonNullable<NonNullable<operations['searchSkus']['parameters']['query']>['status']>;

/** searchSkus: the chain's SKUs (no store needed) whose code starts with q, whose barcode is q, or whose product or SKU name holds q. */
export const searchSkus = async (q: string, status?: SkuStatus, limit = 20) =>
  (await unwrap(api.GET('/api/v1/catalog/skus', { params: { query: { q, status, limit } } }))).data;

/** skusByIds: the chain's SKUs with these ids, any status (unknown ids are absent), 50 ids a request. */
export async function skusByIds(ids: readonly string[]) {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += 50) batches.push(ids.slice(i, i + 50));
  const pages = await Promise.all(batches.map((b) => unwrap(api.GET('/api/v1/catalog/skus', { params: { query: { ids: b.join(','), limit: 50 } } }))));
  return pages.flatMap((p) => p.data);
}

/** useSkuSearch: the chain-wide SKU search as you type (HQ's pickers: no store needed). */
export function useSkuSearch(text: string, status?: SkuStatus) {
  const q = text.trim();
  return useQuery({
    queryKey: ['catalog', 'skus', 'search', status ?? 'any', q],
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    queryFn: () => searchSkus(q, status),
  });
}

/** lookupSkus: a store's active items as its till finds them: by barcode when the text is all digits, else by code, then by name. */
export async function lookupSkus(storeId: string, q: string) {
  const path = { store_id: storeId };
  const byKey = async (query: { barcode: string } | { code: string }) => {
    try {
      return (await unwrap(api.GET('/api/v1/stores/{store_id}/pos/lookup', { params: { path, query } }))).data;
    } catch {
      return [];
    }
  };
  if (/^\d{8,14}$/.test(q)) {
    const found = await byKey({ barcode: q });
    if (found.length > 0) return found;
  }
  const [exact, named] = await Promise.all([
    byKey({ code: q }),
    unwrap(api.GET('/api/v1/stores/{store_id}/pos/lookup', { params: { path, query: { q, limit: 20 } } })).then((r) => r.data),
  ]);
  const seen = new Set(exact.map((i) => i.sku_id));
  return [...exact, ...named.filter((i) => !seen.has(i.sku_id))];
}

/** fetchLabelItems: the SKUs as a store's till sees them (name, specs, unit, list and member price in force). */
export async function fetchLabelItem(storeId: string, skuCode: string) {
  const found = await unwrap(api.GET('/api/v1/stores/{store_id}/pos/lookup', { params: { path: { store_id: storeId }, query: { code: skuCode } } }));
  return found.data.find((i) => i.code === skuCode) ?? found.data[0];
}

/** useStorePromotions: promotions active now that may apply in the store (for the labels' promotion price). */
export function useStorePromotions(storeId: string | null | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['promotions', 'labels', storeId],
    enabled: enabled && !!storeId,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/promotions', {
          params: { query: { store_id: storeId ?? undefined, status: 'active', kind: 'special_price', active_at: new Date().toISOString(), limit: 200 } },
        }),
      ),
    select: (p) => p.data,
  });
}

const invalidateCatalog = (queryClient: ReturnType<typeof useQueryClient>) => queryClient.invalidateQueries({ queryKey: catalogKeys.all });

export function useCreateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateCategoryInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/catalog/categories', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useUpdateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateCategoryInput }) =>
      unwrap(api.PATCH('/api/v1/catalog/categories/{id}', { params: { path: { id } }, body })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useDeleteCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/catalog/categories/{id}', { params: { path: { id } } })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useSaveBrand() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name, idempotencyKey }: { id?: string; name: string; idempotencyKey: string }) =>
      id
        ? unwrap(api.PATCH('/api/v1/catalog/brands/{id}', { params: { path: { id } }, body: { name } }))
        : unwrap(api.POST('/api/v1/catalog/brands', { body: { name }, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useCreateUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: UnitInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/catalog/units', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateProductInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/catalog/products', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useUpdateProduct(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateProductInput) => unwrap(api.PATCH('/api/v1/catalog/products/{id}', { params: { path: { id } }, body })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useAddSku(productId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateSkuInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/catalog/products/{id}/skus', { params: { path: { id: productId }, header: { 'Idempotency-Key': idempotencyKey } }, body })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useUpdateSku() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateSkuInput }) => unwrap(api.PATCH('/api/v1/catalog/skus/{id}', { params: { path: { id } }, body })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useAddBarcode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ skuId, barcode }: { skuId: string; barcode: string }) =>
      unwrap(api.POST('/api/v1/catalog/skus/{id}/barcodes', { params: { path: { id: skuId } }, body: { barcode } })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useRemoveBarcode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ skuId, barcode }: { skuId: string; barcode: string }) =>
      unwrap(api.DELETE('/api/v1/catalog/skus/{id}/barcodes/{barcode}', { params: { path: { id: skuId, barcode } } })),
    onSuccess: () => invalidateCatalog(queryClient),
  });
}

export function useSetPrice(skuId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: SetPriceInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/catalog/skus/{id}/prices', { params: { path: { id: skuId }, header: { 'Idempotency-Key': idempotencyKey } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.prices(skuId) }),
  });
}

const importType = (file: File) =>
  /\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';

export function useUploadImport() {
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.POST('/api/v1/catalog/imports', {
          params: { query: { filename: file.name } },
          // The body is the file itself, sent as is.
          body: file as unknown as string,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { 'Content-Type': importType(file) },
        }),
      ),
  });
}

export function useCommitImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, acceptErrors }: { id: string; acceptErrors: boolean }) =>
      unwrap(api.POST('/api/v1/catalog/imports/{id}/commit', { params: { path: { id } }, body: { accept_errors: acceptErrors } })),
    onSuccess: (job) => {
      queryClient.setQueryData(catalogKeys.importJob(job.id), job);
      return invalidateCatalog(queryClient);
    },
  });
}

/** downloadExport saves the product file (every SKU, HQ prices now) as CSV or XLSX. */
export async function downloadExport(format: 'csv' | 'xlsx') {
  const blob = await unwrap(api.GET('/api/v1/catalog/products/export', { params: { query: { format } }, parseAs: 'blob' }));
  saveBlob(blob as Blob, `products.${format}`);
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** usePriceBounds: HQ's bounds for store prices of a SKU; null when HQ has set none (404 price_bounds.not_set). */
export function usePriceBounds(skuId: string) {
  return useQuery({
    queryKey: [...catalogKeys.prices(skuId), 'bounds'],
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/api/v1/catalog/skus/{id}/price-bounds', { params: { path: { id: skuId } } }));
      } catch (e) {
        if (asApiError(e).code === 'price_bounds.not_set') return null;
        throw e;
      }
    },
  });
}

export function useSetPriceBounds(skuId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { min_amount: number; max_amount: number }) =>
      unwrap(api.PUT('/api/v1/catalog/skus/{id}/price-bounds', { params: { path: { id: skuId } }, body })),
    onSuccess: (bounds) => queryClient.setQueryData([...catalogKeys.prices(skuId), 'bounds'], bounds),
  });
}

export function useScaleLayouts() {
  return useQuery({ queryKey: ['catalog', 'scale-layouts'], queryFn: () => unwrap(api.GET('/api/v1/catalog/scale-layouts')) });
}

export function useSetScaleLayouts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ScaleLayouts) => unwrap(api.PUT('/api/v1/catalog/scale-layouts', { body })),
    onSuccess: (layouts) => queryClient.setQueryData(['catalog', 'scale-layouts'], layouts),
  });
}

import { ShopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useDeferredValue, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { Store } from '../api/types';
import { useCurrentStore } from '../app/store-context';

// Pages that work in one store (stock, stocktakes, labels) take the
// header's store, or let the user pick one here when the header says
// "every store". The picker searches on the server like the header's.

/** useStoreList: active stores in scope (the first 200), for pickers and name look-ups. */
export function useStoreList() {
  return useQuery({
    queryKey: ['stores', 'options', 'active'],
    queryFn: () => unwrap(api.GET('/api/v1/stores', { params: { query: { status: 'active', limit: 200 } } })),
    select: (p) => p.data,
    staleTime: 60_000,
  });
}

/** storeLabel: "人民广场店（SH001）". */
export const storeLabel = (s: Pick<Store, 'name' | 'code'>) => `${s.name}（${s.code}）`;

/**
 * useWorkingStore: the store a store page works in — the header's, else
 * the one picked on the page, else the first store in scope.
 */
export function useWorkingStore(): [string | null, (id: string | null) => void] {
  const { storeId } = useCurrentStore();
  const stores = useStoreList();
  const [picked, setPicked] = useState<string | null>(storeId);
  useEffect(() => setPicked(storeId), [storeId]);
  const first = stores.data?.[0]?.id ?? null;
  return [picked ?? first, setPicked];
}

export interface StorePickerProps {
  value: string | null | undefined;
  onChange: (id: string) => void;
  width?: number;
  id?: string;
  'aria-label'?: string;
  /** Stores left out (a transfer's source, when picking its destination). */
  exclude?: string[];
}

/** StorePicker: a store of the caller's scope, searched by name or code. */
export function StorePicker({ value, onChange, width = 240, exclude = [], ...rest }: StorePickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const list = useStoreList();
  const found = useQuery({
    queryKey: ['stores', 'picker', q],
    enabled: q.length > 0,
    queryFn: () => unwrap(api.GET('/api/v1/stores', { params: { query: { status: 'active', limit: 50, q } } })),
  });
  const stores = (q ? found.data?.data : list.data) ?? [];
  const options = stores.filter((s) => !exclude.includes(s.id)).map((s) => ({ value: s.id, label: storeLabel(s) }));
  const current = list.data?.find((s) => s.id === value);
  if (current && !options.some((o) => o.value === current.id)) options.unshift({ value: current.id, label: storeLabel(current) });
  return (
    <Select
      {...rest}
      aria-label={rest['aria-label'] ?? t('header.currentStore')}
      prefix={<ShopOutlined />}
      style={{ width }}
      value={value ?? undefined}
      options={options}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      loading={list.isLoading || found.isFetching}
      placeholder={t('header.searchStore')}
      onChange={(v: string) => {
        onChange(v);
        setSearch('');
      }}
    />
  );
}

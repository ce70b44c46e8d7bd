import { ShopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useCurrentStore } from '../store-context';

const ALL = '';

/** StoreSwitcher: the header's store choice, searched on the server (a chain may have thousands). */
export function StoreSwitcher() {
  const { t } = useTranslation();
  const { storeId, store, setStoreId, canSwitch } = useCurrentStore();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const stores = useQuery({
    queryKey: ['stores', 'switcher', q],
    queryFn: () => unwrap(api.GET('/api/v1/stores', { params: { query: { status: 'active', limit: 50, ...(q ? { q } : {}) } } })),
    enabled: canSwitch,
  });
  if (!canSwitch) return null;

  const options = [{ value: ALL, label: t('header.allStores') }, ...(stores.data?.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))];
  if (store && !options.some((o) => o.value === store.id)) options.push({ value: store.id, label: `${store.name}（${store.code}）` });

  return (
    <Select
      aria-label={t('header.currentStore')}
      data-testid="store-switcher"
      prefix={<ShopOutlined />}
      style={{ width: 220 }}
      value={storeId ?? ALL}
      options={options}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      loading={stores.isFetching}
      placeholder={t('header.searchStore')}
      onChange={(value: string) => {
        setStoreId(value === ALL ? null : value);
        setSearch('');
      }}
      popupMatchSelectWidth={280}
    />
  );
}

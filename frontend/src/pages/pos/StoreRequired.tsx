import { Result, Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccess } from '../../app/session';
import { useCurrentStore } from '../../app/store-context';
import { useStoreOptions } from '../org/queries';

/**
 * StoreRequired draws a store page's children with the header's store, or
 * asks for one when "every store" is chosen (registers, shifts, day-end and
 * the offline queue are one store's).
 */
export function StoreRequired({ children }: { children: (storeId: string) => ReactNode }) {
  const { t } = useTranslation('pos');
  const { can } = useAccess();
  const { storeId, setStoreId } = useCurrentStore();
  const stores = useStoreOptions(storeId === null && can('stores.read'));
  if (storeId) return <>{children(storeId)}</>;
  return (
    <Result
      status="info"
      title={t('store.pickTitle')}
      subTitle={t('store.pickHint')}
      extra={
        <Select
          aria-label={t('store.pick')}
          placeholder={t('store.pick')}
          style={{ width: 280 }}
          showSearch
          optionFilterProp="label"
          loading={stores.isLoading}
          options={(stores.data ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))}
          onChange={(id: string) => setStoreId(id)}
        />
      }
    />
  );
}

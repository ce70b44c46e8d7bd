import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogItem } from '../../api/types';
import { useSkuSearch } from './queries';

export interface SkuSelectProps {
  storeId: string | null | undefined;
  /** Called with the item picked; the select clears itself for the next one. */
  onPick: (item: CatalogItem) => void;
  placeholder?: string;
  width?: number | string;
  'aria-label'?: string;
}

/** SkuSelect finds a SKU of a store by name, SKU or product code, or barcode (scan into it and press Enter). */
export function SkuSelect({ storeId, onPick, placeholder, width = '100%', ...rest }: SkuSelectProps) {
  const { t } = useTranslation('catalog');
  const [text, setText] = useState('');
  const q = useDeferredValue(text);
  const search = useSkuSearch(storeId, q);
  const items = search.data ?? [];
  return (
    <Select<string>
      aria-label={rest['aria-label'] ?? t('skuSelect.label')}
      data-testid="sku-select"
      showSearch
      value={null}
      searchValue={text}
      filterOption={false}
      style={{ width }}
      disabled={!storeId}
      placeholder={placeholder ?? t('skuSelect.placeholder')}
      notFoundContent={q.trim() ? (search.isFetching ? t('skuSelect.searching') : t('skuSelect.none')) : null}
      onSearch={setText}
      options={items.map((i) => ({ value: i.sku_id, label: `${i.code} · ${i.name}` }))}
      onSelect={(id: string) => {
        const item = items.find((i) => i.sku_id === id);
        if (item) onPick(item);
        setText('');
      }}
      onInputKeyDown={(e) => {
        // A scanner types the barcode then Enter: take the one match at once.
        if (e.key === 'Enter' && items.length === 1 && items[0]) {
          e.preventDefault();
          onPick(items[0]);
          setText('');
        }
      }}
    />
  );
}

import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SkuMatch } from '../../api/types';
import { useSkuSearch, type SkuStatus } from './queries';

export interface SkuSelectProps {
  /** Called with the SKU picked; the select clears itself for the next one. */
  onPick: (sku: SkuMatch) => void;
  /** 'active' finds SKUs on sale only; by default discontinued ones are found too (tagged). */
  status?: SkuStatus;
  disabled?: boolean;
  placeholder?: string;
  width?: number | string;
  'aria-label'?: string;
}

/** SkuSelect finds a SKU of the chain (no store needed) by name, SKU code prefix, or barcode (scan into it and press Enter). */
export function SkuSelect({ onPick, status, disabled, placeholder, width = '100%', ...rest }: SkuSelectProps) {
  const { t } = useTranslation('catalog');
  const [text, setText] = useState('');
  const q = useDeferredValue(text);
  const search = useSkuSearch(q, status);
  const items = search.data ?? [];
  const label = (i: SkuMatch) => `${i.code} · ${i.name}${i.status === 'discontinued' ? ` (${t('skuSelect.discontinued')})` : ''}`;
  return (
    <Select<string>
      aria-label={rest['aria-label'] ?? t('skuSelect.label')}
      data-testid="sku-select"
      showSearch
      value={null}
      searchValue={text}
      filterOption={false}
      style={{ width }}
      disabled={disabled}
      placeholder={placeholder ?? t('skuSelect.placeholder')}
      notFoundContent={q.trim() ? (search.isFetching ? t('skuSelect.searching') : t(status === 'active' ? 'skuSelect.noneActive' : 'skuSelect.none')) : null}
      onSearch={setText}
      options={items.map((i) => ({ value: i.sku_id, label: label(i) }))}
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

import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FinEntity } from '../../api/types';

/** EntityPicker chooses one set of books. */
export function EntityPicker({ entities, value, onChange }: { entities: FinEntity[]; value?: string; onChange: (id: string) => void }) {
  const { t } = useTranslation('finance');
  return (
    <Select
      style={{ minWidth: 220 }}
      value={value}
      onChange={onChange}
      placeholder={t('fields.entity')}
      aria-label={t('fields.entity')}
      options={entities.map((e) => ({ value: e.id, label: e.name }))}
    />
  );
}

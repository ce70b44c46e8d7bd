import { PlusOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Empty, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Access } from '../../../app/session';
import { StorePicker, useWorkingStore } from '../../../components/StorePicker';
import { MovementForm } from '../MovementForm';
import { MovementTable } from '../MovementTable';

export default function MovementsPage() {
  const { t } = useTranslation('inventory');
  const [storeId, setStoreId] = useWorkingStore();
  const [moving, setMoving] = useState(false);
  const [version, setVersion] = useState(0);
  return (
    <PageContainer
      title={t('movements.title')}
      subTitle={t('movements.subtitle')}
      extra={
        <Space>
          <StorePicker value={storeId} onChange={setStoreId} aria-label={t('stock.store')} />
          <Access to="inventory.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setMoving(true)}>
              {t('movements.create')}
            </Button>
          </Access>
        </Space>
      }
    >
      {storeId ? <MovementTable key={version} storeId={storeId} /> : <Empty description={t('stock.pickStore')} />}
      <MovementForm open={moving} onClose={() => setMoving(false)} storeId={storeId} onDone={() => setVersion((n) => n + 1)} />
    </PageContainer>
  );
}

import { ImportOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Empty, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { StockLevel } from '../../../api/types';
import { Access } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { Money } from '../../../components/Money';
import { StorePicker, useWorkingStore } from '../../../components/StorePicker';
import { formatDateTime } from '../../../lib/time';
import { categoryTreeData } from '../../catalog/ProductForm';
import { useCategoryTree } from '../../catalog/queries';
import { qty } from '../lines';
import { MovementForm } from '../MovementForm';
import { fetchStock } from '../queries';

export default function StockPage() {
  const { t } = useTranslation('inventory');
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const [storeId, setStoreId] = useWorkingStore();
  const [receiving, setReceiving] = useState(false);
  const [searching, setSearching] = useState(false);
  const tableRef = useRef<ActionType>();
  const tree = useCategoryTree();

  const columns: ProColumns<StockLevel>[] = [
    // q: a SKU code's start, a barcode (scan into it) or part of a name; the API takes at most 64 characters.
    { title: t('stock.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('stock.keywordHint'), maxLength: 64, allowClear: true } },
    {
      title: t('stock.category'),
      dataIndex: 'category_id',
      valueType: 'treeSelect',
      hideInTable: true,
      fieldProps: { treeData: categoryTreeData(tree.data ?? []), showSearch: true, treeNodeFilterProp: 'title' },
    },
    {
      title: t('stock.belowMin'),
      dataIndex: 'below_min',
      valueType: 'select',
      hideInTable: true,
      valueEnum: { true: { text: t('stock.belowMinOnly') } },
    },
    {
      title: t('stock.skuCode'),
      dataIndex: 'sku_code',
      search: false,
      width: 140,
      render: (_, s) => <Link to={`/inventory/stock/${s.store_id}/${s.sku_id}`}>{s.sku_code}</Link>,
    },
    { title: t('stock.skuName'), dataIndex: 'sku_name', search: false, ellipsis: true },
    {
      title: t('stock.onHand'),
      dataIndex: 'on_hand',
      search: false,
      align: 'right',
      render: (_, s) => (
        <Typography.Text type={s.on_hand <= 0 ? 'danger' : s.min_qty !== null && s.on_hand < s.min_qty ? 'warning' : undefined} data-testid={`on-hand-${s.sku_code}`}>
          {qty(s.on_hand, s.unit)}
        </Typography.Text>
      ),
    },
    { title: t('stock.inTransit'), dataIndex: 'in_transit', search: false, align: 'right', render: (_, s) => qty(s.in_transit, s.unit) },
    { title: t('stock.avgCost'), dataIndex: 'avg_cost', search: false, align: 'right', render: (_, s) => (s.avg_cost === null ? '—' : <Money fen={s.avg_cost} />) },
    { title: t('stock.value'), dataIndex: 'stock_value', search: false, align: 'right', render: (_, s) => (s.stock_value === null ? '—' : <Money fen={s.stock_value} />) },
    { title: t('stock.minMax'), dataIndex: 'min_qty', search: false, render: (_, s) => `${qty(s.min_qty, s.unit)} / ${qty(s.max_qty, s.unit)}` },
    { title: t('stock.lastMovement'), dataIndex: 'last_movement_at', search: false, render: (_, s) => formatDateTime(s.last_movement_at, timeZone) || '—' },
  ];

  return (
    <PageContainer
      title={t('stock.title')}
      subTitle={t('stock.subtitle')}
      extra={<StorePicker value={storeId} onChange={setStoreId} aria-label={t('stock.store')} />}
    >
      {!storeId ? (
        <Empty description={t('stock.pickStore')} />
      ) : (
        <CursorTable<StockLevel>
          key={storeId}
          rowKey="sku_id"
          actionRef={tableRef}
          headerTitle={t('stock.title')}
          columns={columns}
          fetchPage={fetchStock(storeId)}
          onRow={(s) => ({ onDoubleClick: () => navigate(`/inventory/stock/${s.store_id}/${s.sku_id}`) })}
          onSubmit={(params) => setSearching(Object.values(params ?? {}).some((v) => v !== undefined && v !== ''))}
          onReset={() => setSearching(false)}
          locale={{ emptyText: searching ? t('stock.noMatch') : t('stock.empty') }}
          toolBarRender={() => [
            <Access key="receive" to="inventory.write">
              <Button type="primary" icon={<ImportOutlined />} onClick={() => setReceiving(true)}>
                {t('stock.receive')}
              </Button>
            </Access>,
          ]}
        />
      )}
      <MovementForm open={receiving} onClose={() => setReceiving(false)} storeId={storeId} kind="receipt" onDone={() => void tableRef.current?.reload()} />
    </PageContainer>
  );
}

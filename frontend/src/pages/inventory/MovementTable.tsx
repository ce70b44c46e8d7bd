import type { ProColumns } from '@ant-design/pro-components';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StockMovement } from '../../api/types';
import { useTimeZone } from '../../app/store-context';
import { CursorTable } from '../../components/CursorTable';
import { Money } from '../../components/Money';
import { formatQuantity } from '../../lib/quantity';
import { formatDateTime } from '../../lib/time';
import { fetchMovements } from './queries';

const kinds = ['receipt', 'sale', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'stocktake', 'damage', 'expiry'] as const;

/** MovementTable: a store's immutable stock movements, newest first (one SKU's when skuId is given). */
export function MovementTable({ storeId, skuId }: { storeId: string; skuId?: string }) {
  const { t } = useTranslation('inventory');
  const timeZone = useTimeZone();
  const columns: ProColumns<StockMovement>[] = [
    { title: t('movements.occurredAt'), dataIndex: 'occurred_at', search: false, render: (_, m) => formatDateTime(m.occurred_at, timeZone) },
    {
      title: t('movements.kind'),
      dataIndex: 'kind',
      valueType: 'select',
      valueEnum: Object.fromEntries(kinds.map((k) => [k, { text: t(`movements.kinds.${k}`) }])),
      render: (_, m) => <Tag color={m.qty >= 0 ? 'green' : 'volcano'}>{t(`movements.kinds.${m.kind}`)}</Tag>,
    },
    ...(skuId
      ? []
      : [
          {
            title: t('movements.sku'),
            dataIndex: 'sku_code',
            search: false,
            render: (_: unknown, m: StockMovement) => (
              <Link to={`/inventory/stock/${m.store_id}/${m.sku_id}`}>
                {m.sku_code} · {m.sku_name}
              </Link>
            ),
          },
        ]),
    {
      title: t('movements.qty'),
      dataIndex: 'qty',
      search: false,
      align: 'right',
      render: (_, m) => <Typography.Text type={m.qty < 0 ? 'danger' : undefined}>{`${m.qty > 0 ? '+' : ''}${formatQuantity(m.qty)}`}</Typography.Text>,
    },
    { title: t('movements.onHandAfter'), dataIndex: 'on_hand_after', search: false, align: 'right', render: (_, m) => formatQuantity(m.on_hand_after) },
    { title: t('movements.unitCost'), dataIndex: 'unit_cost', search: false, align: 'right', render: (_, m) => (m.unit_cost === null ? '—' : <Money fen={m.unit_cost} />) },
    { title: t('movements.costAmount'), dataIndex: 'cost_amount', search: false, align: 'right', render: (_, m) => (m.cost_amount === null ? '—' : <Money fen={m.cost_amount} />) },
    { title: t('movements.reason'), dataIndex: 'reason', search: false, ellipsis: true, render: (_, m) => m.reason || '—' },
  ];
  const fetch = fetchMovements(storeId);
  return (
    <CursorTable<StockMovement>
      key={`${storeId}-${skuId ?? ''}`}
      headerTitle={t('movements.title')}
      columns={columns}
      fetchPage={(args) => fetch({ ...args, filters: { ...args.filters, ...(skuId ? { sku_id: skuId } : {}) } })}
      locale={{ emptyText: t('movements.empty') }}
    />
  );
}

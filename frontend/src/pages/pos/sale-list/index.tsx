import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { PosSale } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useCurrentStore, useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { Money } from '../../../components/Money';
import { dayjs, formatDateTime } from '../../../lib/time';
import { useStoreOptions } from '../../org/queries';
import { flagLabel, tenderLabel } from '../labels';
import { useStaffNames } from '../../users/queries';
import { fetchSales, useRegisters, type SaleFilters } from '../queries';

const tenderFilter = ['cash', 'card', 'unionpay', 'wechat', 'alipay', 'stored_value'] as const;

/** toRfc3339: a wall-clock time picked in the form, read in the store's zone. */
const toRfc3339 = (value: unknown, zone: string) => (value ? dayjs.tz(String(value), zone).toISOString() : undefined);

export default function SaleListPage() {
  const { t } = useTranslation('pos');
  const zone = useTimeZone();
  const navigate = useNavigate();
  const { can } = useAccess();
  const { storeId } = useCurrentStore();
  const stores = useStoreOptions(can('stores.read'));
  const storeName = new Map((stores.data ?? []).map((s) => [s.id, s.name]));
  const registers = useRegisters(can('pos.manage') ? storeId : null);
  const registerName = new Map((registers.data ?? []).map((r) => [r.id, r.code]));
  const staff = useStaffNames(can('users.read'));
  const detail = (s: PosSale) => `/pos-admin/stores/${s.store_id}/sales/${s.id}`;

  const columns: ProColumns<PosSale>[] = [
    { title: t('sales.receiptNo'), dataIndex: 'receipt_no', search: false, width: 110, render: (_, s) => <Link to={detail(s)}>{s.receipt_no}</Link> },
    {
      title: t('sales.soldAt'),
      dataIndex: 'sold_at',
      valueType: 'dateTimeRange',
      render: (_, s) => formatDateTime(s.sold_at, zone),
      search: { transform: (v: [string, string]) => ({ from: toRfc3339(v[0], zone), to: toRfc3339(v[1], zone) }) },
    },
    {
      title: t('sales.store'),
      dataIndex: 'store_id',
      hideInSearch: true,
      hideInTable: storeId !== null,
      render: (_, s) => storeName.get(s.store_id) ?? '—',
    },
    {
      title: t('sales.register'),
      dataIndex: 'register_id',
      valueType: 'select',
      hideInSearch: storeId === null || !can('pos.manage'),
      fieldProps: { options: (registers.data ?? []).map((r) => ({ value: r.id, label: `${r.code} ${r.name}` })) },
      render: (_, s) => registerName.get(s.register_id) ?? '—',
    },
    {
      title: t('sales.cashier'),
      dataIndex: 'cashier_id',
      valueType: 'select',
      hideInSearch: !can('users.read'),
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: [...(staff.data ?? new Map<string, string>())].map(([value, label]) => ({ value, label })) },
      render: (_, s) => s.cashier_name || '—',
    },
    { title: t('sales.member'), dataIndex: 'member_id', hideInTable: true, fieldProps: { placeholder: t('sales.memberHint') } },
    {
      title: t('sales.tender'),
      dataIndex: 'tender',
      valueType: 'select',
      hideInTable: true,
      valueEnum: Object.fromEntries(tenderFilter.map((m) => [m, { text: tenderLabel(t, m) }])),
    },
    {
      title: t('sales.tenders'),
      dataIndex: 'tenders',
      search: false,
      render: (_, s) => (
        <Space size={4} wrap>
          {(s.tenders ?? []).map((x) => (
            <Tag key={x.tender_no}>{tenderLabel(t, x.method)}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('sales.total'), dataIndex: 'total', search: false, align: 'right', render: (_, s) => <Money fen={s.total} /> },
    {
      title: t('sales.returned'),
      dataIndex: 'returned_total',
      search: false,
      align: 'right',
      render: (_, s) => (s.returned_total ? <Money fen={s.returned_total} /> : '—'),
    },
    {
      title: t('sales.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: { completed: { text: t('sales.statuses.completed'), status: 'Success' }, voided: { text: t('sales.statuses.voided'), status: 'Default' } },
    },
    {
      title: t('sales.flagged'),
      dataIndex: 'flagged',
      valueType: 'select',
      hideInTable: true,
      valueEnum: { true: { text: t('sales.flaggedOnly') } },
    },
    {
      title: t('sales.flags'),
      dataIndex: 'flags',
      search: false,
      render: (_, s) =>
        (s.flags ?? []).length === 0 ? (
          s.offline ? <Tag>{t('sales.offline')}</Tag> : '—'
        ) : (
          <Space size={4} wrap>
            {(s.flags ?? []).map((f) => (
              <Tag key={f} color="orange">
                {flagLabel(t, f)}
              </Tag>
            ))}
          </Space>
        ),
    },
  ];

  return (
    <PageContainer title={t('sales.title')} subTitle={storeId ? t('sales.subtitleStore') : t('sales.subtitleAll')}>
      <CursorTable<PosSale, SaleFilters>
        headerTitle={t('sales.title')}
        columns={columns}
        params={{ store_id: storeId ?? undefined }}
        fetchPage={fetchSales}
        onRow={(s) => ({ onDoubleClick: () => navigate(detail(s)) })}
        locale={{ emptyText: t('sales.empty') }}
      />
    </PageContainer>
  );
}

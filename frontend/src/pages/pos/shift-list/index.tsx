import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { PageArgs } from '../../../api/pagination';
import type { PosShift } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { Money } from '../../../components/Money';
import { formatDateTime } from '../../../lib/time';
import { shiftQuery, type ShiftSearch } from '../filters';
import { ShiftStatus } from '../ShiftStatus';
import { StoreRequired } from '../StoreRequired';
import { useStaffNames } from '../../users/queries';
import { fetchShifts, useRegisters } from '../queries';

function Shifts({ storeId }: { storeId: string }) {
  const { t } = useTranslation('pos');
  const zone = useTimeZone();
  const navigate = useNavigate();
  const registers = useRegisters(storeId);
  // The cashier filter's names (the rows carry their own cashier_name).
  const { can } = useAccess();
  const staff = useStaffNames(can('users.read'));
  const registerCode = new Map((registers.data ?? []).map((r) => [r.id, `${r.code} ${r.name}`]));
  const fetchPage = ({ limit, cursor, filters }: PageArgs<ShiftSearch>) => fetchShifts(storeId)({ limit, cursor, filters: shiftQuery(filters, zone) });
  const detail = (s: PosShift) => `/pos-admin/stores/${storeId}/shifts/${s.id}`;

  const columns: ProColumns<PosShift>[] = [
    {
      title: t('shifts.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: {
        open: { text: t('shifts.statuses.open') },
        pending_approval: { text: t('shifts.statuses.pending_approval') },
        closed: { text: t('shifts.statuses.closed') },
      },
      render: (_, s) => <ShiftStatus status={s.status} />,
    },
    { title: t('shifts.businessDate'), dataIndex: 'business_date', search: false, render: (_, s) => <Link to={detail(s)}>{s.business_date}</Link> },
    { title: t('shifts.businessDates'), dataIndex: 'dates', valueType: 'dateRange', hideInTable: true },
    { title: t('shifts.register'), dataIndex: 'register_id', search: false, render: (_, s) => registerCode.get(s.register_id) ?? '—' },
    { title: t('shifts.cashier'), dataIndex: 'cashier_id', search: false, render: (_, s) => s.cashier_name || '—' },
    { title: t('shifts.openedAt'), dataIndex: 'opened_at', search: false, render: (_, s) => formatDateTime(s.opened_at, zone) },
    { title: t('shifts.closedAt'), dataIndex: 'closed_at', search: false, render: (_, s) => formatDateTime(s.closed_at, zone) || '—' },
    { title: t('shifts.float'), dataIndex: 'opening_float', search: false, align: 'right', render: (_, s) => <Money fen={s.opening_float} /> },
    {
      title: t('shifts.variance'),
      dataIndex: 'cash_variance',
      search: false,
      align: 'right',
      render: (_, s) => (s.cash_variance === null ? '—' : <Money fen={s.cash_variance} />),
    },
    // The search form's register and cashier pickers (the columns above show them).
    {
      title: t('shifts.register'),
      dataIndex: 'register_filter',
      valueType: 'select',
      hideInTable: true,
      search: { transform: (v: string) => ({ register_id: v }) },
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: (registers.data ?? []).map((r) => ({ value: r.id, label: `${r.code} ${r.name}` })) },
    },
    {
      title: t('shifts.cashier'),
      dataIndex: 'cashier_filter',
      valueType: 'select',
      hideInTable: true,
      // Cashiers by name where the caller may read staff (API-GAPS 4, 33); else no cashier filter.
      search: can('users.read') ? { transform: (v: string) => ({ cashier_id: v }) } : false,
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: [...(staff.data ?? new Map<string, string>())].map(([value, label]) => ({ value, label })) },
    },
  ];

  return (
    <CursorTable<PosShift, ShiftSearch>
      headerTitle={t('shifts.title')}
      columns={columns}
      fetchPage={fetchPage}
      onRow={(s) => ({ onDoubleClick: () => navigate(detail(s)) })}
      locale={{ emptyText: t('shifts.empty') }}
    />
  );
}

export default function ShiftListPage() {
  const { t } = useTranslation('pos');
  return (
    <PageContainer title={t('shifts.title')} subTitle={t('shifts.subtitle')}>
      <StoreRequired>{(storeId) => <Shifts key={storeId} storeId={storeId} />}</StoreRequired>
    </PageContainer>
  );
}

import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { PosShift } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { Money } from '../../../components/Money';
import { formatDateTime } from '../../../lib/time';
import { ShiftStatus } from '../ShiftStatus';
import { StoreRequired } from '../StoreRequired';
import { fetchShifts, useRegisters } from '../queries';

function Shifts({ storeId }: { storeId: string }) {
  const { t } = useTranslation('pos');
  const zone = useTimeZone();
  const navigate = useNavigate();
  const registers = useRegisters(storeId);
  const registerCode = new Map((registers.data ?? []).map((r) => [r.id, `${r.code} ${r.name}`]));
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
  ];

  return (
    <CursorTable<PosShift>
      headerTitle={t('shifts.title')}
      columns={columns}
      fetchPage={fetchShifts(storeId)}
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

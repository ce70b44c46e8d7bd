import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormDigit, ProFormSelect, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Form, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { PageArgs } from '../../../api/pagination';
import type { FinSettlement } from '../../../api/types';
import { Access, useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { dayjs, formatDateTime } from '../../../lib/time';
import { useFranchiseeOptions } from '../../org/queries';
import { settlementQuery, type SettlementSearch } from '../filters';
import { fetchSettlements, useGenerateSettlement } from '../queries';

/** Franchise settlements: each franchisee's month of royalties, supplies and payments. */
export default function SettlementListPage() {
  const { t } = useTranslation('finance');
  const { can } = useAccess();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const franchisees = useFranchiseeOptions(can('franchisees.read'));
  const name = (id: string) => franchisees.data?.find((f) => f.id === id)?.name ?? id.slice(0, 8);
  const [generating, setGenerating] = useState(false);

  const columns: ProColumns<FinSettlement>[] = [
    { title: t('fields.period'), key: 'period', search: false, render: (_, s) => <Link to={`/finance/settlements/${s.id}`}>{`${s.year}-${String(s.month).padStart(2, '0')}`}</Link> },
    { title: t('settlements.monthFilter'), dataIndex: 'month', valueType: 'dateMonth', hideInTable: true },
    {
      title: t('rules.franchisee'),
      dataIndex: 'franchisee_id',
      valueType: 'select',
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: (franchisees.data ?? []).map((f) => ({ value: f.id, label: f.name })) },
      render: (_, s) => name(s.franchisee_id),
    },
    { title: t('settlements.netSales'), dataIndex: 'net_sales', search: false, align: 'right', render: (_, s) => <Money fen={s.net_sales} /> },
    { title: t('settlements.royalty'), dataIndex: 'royalty', search: false, align: 'right', render: (_, s) => <Money fen={s.royalty} /> },
    { title: t('settlements.supplies'), dataIndex: 'supplies', search: false, align: 'right', render: (_, s) => <Money fen={s.supplies} /> },
    { title: t('settlements.payments'), dataIndex: 'payments', search: false, align: 'right', render: (_, s) => <Money fen={s.payments} /> },
    { title: t('settlements.balanceDue'), dataIndex: 'balance_due', search: false, align: 'right', render: (_, s) => <Money fen={s.balance_due} /> },
    {
      title: t('fields.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: { draft: { text: t('settlementStatuses.draft') }, posted: { text: t('settlementStatuses.posted') } },
      render: (_, s) => <Tag color={s.status === 'posted' ? 'green' : 'processing'}>{t(`settlementStatuses.${s.status}`)}</Tag>,
    },
    { title: t('settlements.postedAt'), dataIndex: 'posted_at', search: false, render: (_, s) => formatDateTime(s.posted_at, timeZone) || '—' },
  ];

  return (
    <PageContainer title={t('settlements.title')} subTitle={t('settlements.subtitle')}>
      <CursorTable<FinSettlement, SettlementSearch>
        headerTitle={t('settlements.title')}
        columns={columns}
        fetchPage={({ limit, cursor, filters }: PageArgs<SettlementSearch>) => fetchSettlements({ limit, cursor, filters: settlementQuery(filters) })}
        onRow={(s) => ({ onDoubleClick: () => navigate(`/finance/settlements/${s.id}`) })}
        locale={{ emptyText: t('settlements.empty') }}
        toolBarRender={() => [
          <Access key="gen" to="finance.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setGenerating(true)}>
              {t('settlements.generate')}
            </Button>
          </Access>,
        ]}
      />
      {generating && <GenerateForm franchisees={franchisees.data ?? []} onClose={() => setGenerating(false)} onDone={(id) => navigate(`/finance/settlements/${id}`)} />}
    </PageContainer>
  );
}

function GenerateForm({ franchisees, onClose, onDone }: { franchisees: { id: string; name: string }[]; onClose: () => void; onDone: (id: string) => void }) {
  const { t } = useTranslation('finance');
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const idempotency = useIdempotencyKey();
  const generate = useGenerateSettlement();
  const last = dayjs().tz(timeZone).subtract(1, 'month');
  return (
    <ModalForm
      title={t('settlements.generateTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      initialValues={{ franchisee_id: franchisees.length === 1 ? franchisees[0]?.id : undefined, year: last.year(), month: last.month() + 1 }}
      onFinish={async (v: { franchisee_id: string; year: number; month: number }) => {
        try {
          const s = await generate.mutateAsync({ franchiseeId: v.franchisee_id, year: v.year, month: v.month, idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('settlements.generated'));
          onDone(s.id);
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <ProFormSelect name="franchisee_id" label={t('rules.franchisee')} rules={[{ required: true }]} options={franchisees.map((f) => ({ value: f.id, label: f.name }))} />
      <ProFormDigit name="year" label={t('periods.year')} min={2000} max={2200} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
      <ProFormDigit name="month" label={t('settlements.month')} min={1} max={12} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
    </ModalForm>
  );
}

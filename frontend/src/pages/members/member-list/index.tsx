import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Dropdown, Space, Tag } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { PageArgs } from '../../../api/pagination';
import { ApiError } from '../../../api/problem';
import type { Member } from '../../../api/types';
import { Access, useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { MoneyParseError, parseYuan, fenForApi } from '../../../lib/money';
import { dayjs, formatDateTime } from '../../../lib/time';
import { useStoreOptions } from '../../org/queries';
import { MemberForm } from '../MemberForm';
import { countMembers, downloadMembers, fetchMembers, useCreateMember, useTiers, type MemberFilters } from '../queries';

/** The search form's values: what the API takes, with spend in yuan, days as dates and a card number. */
interface SearchValues extends Record<string, unknown> {
  phone?: string;
  card?: string;
  tier_id?: string;
  tag?: string;
  store_id?: string;
  status?: MemberFilters['status'];
  min_spend_yuan?: string;
  max_spend_yuan?: string;
  visited_after?: string;
  visited_before?: string;
}

/** toFilters turns the search form into the list's query (spend in exact fen, days at midnight in the chain's zone). */
export function toFilters(v: SearchValues, timeZone: string): MemberFilters {
  const fen = (yuan?: string) => {
    if (!yuan?.trim()) return undefined;
    try {
      return fenForApi(parseYuan(yuan));
    } catch (e) {
      if (e instanceof MoneyParseError) throw new ApiError({ status: 400, code: 'request.invalid', title: yuan, errors: [] });
      throw e;
    }
  };
  const day = (d?: string) => (d ? dayjs.tz(d, timeZone).toISOString() : undefined);
  return {
    ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
    ...(v.card?.trim() ? { card: v.card.trim() } : {}),
    ...(v.tier_id ? { tier_id: v.tier_id } : {}),
    ...(v.tag?.trim() ? { tag: v.tag.trim() } : {}),
    ...(v.store_id ? { store_id: v.store_id } : {}),
    ...(v.status ? { status: v.status } : {}),
    min_spend: fen(v.min_spend_yuan),
    max_spend: fen(v.max_spend_yuan),
    visited_after: day(v.visited_after),
    visited_before: day(v.visited_before),
  };
}

export default function MemberListPage() {
  const { t } = useTranslation('members');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const tableRef = useRef<ActionType>();
  const lastFilters = useRef<MemberFilters>({});
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [matched, setMatched] = useState<number | null>(null);
  const countAsked = useRef(0);
  const idempotency = useIdempotencyKey();
  const create = useCreateMember();
  const tiers = useTiers();
  const stores = useStoreOptions(can('stores.read'));
  const storeName = new Map((stores.data ?? []).map((s) => [s.id, s.name]));

  const yuanRule = {
    validator: async (_: unknown, value?: string) => {
      if (!value?.trim()) return;
      try {
        if (parseYuan(value) < 0n) throw new MoneyParseError('format');
      } catch (e) {
        throw new Error(t(`common:money.${e instanceof MoneyParseError ? e.reason : 'format'}`));
      }
    },
  };

  const fetchPage = async ({ limit, cursor, filters }: PageArgs<SearchValues>) => {
    const query = toFilters(filters, timeZone);
    lastFilters.current = query;
    if (!cursor) {
      // The first page of a search also asks how many match (the pages are cursors, without a total).
      // A slower count of an earlier search must not overwrite the newer one.
      const asked = ++countAsked.current;
      setMatched(null);
      countMembers(query).then(
        (n) => asked === countAsked.current && setMatched(n),
        () => undefined,
      );
    }
    return fetchMembers({ limit, cursor, filters: query });
  };

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    try {
      const name = await downloadMembers(format, lastFilters.current);
      void message.success(t('list.exported', { name }));
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  const columns: ProColumns<Member>[] = [
    { title: t('fields.phone'), dataIndex: 'phone', render: (_, m) => <Link to={`/members/${m.id}`}>{m.phone}</Link> },
    { title: t('fields.cardNumber'), dataIndex: 'card', hideInTable: true, fieldProps: { placeholder: t('list.cardHint') } },
    { title: t('fields.name'), dataIndex: 'name', search: false, render: (_, m) => m.name || '—' },
    {
      title: t('fields.tier'),
      dataIndex: 'tier_id',
      valueType: 'select',
      fieldProps: { options: (tiers.data ?? []).map((tier) => ({ value: tier.id, label: tier.name })) },
      render: (_, m) => m.tier?.name ?? '—',
    },
    { title: t('fields.card'), dataIndex: 'card_number', search: false, render: (_, m) => m.card?.number ?? '—' },
    { title: t('fields.points'), dataIndex: 'points', search: false, align: 'right' },
    { title: t('fields.balance'), dataIndex: 'balance', search: false, align: 'right', render: (_, m) => <Money fen={m.balance} /> },
    { title: t('fields.totalSpend'), dataIndex: 'total_spend', search: false, align: 'right', render: (_, m) => <Money fen={m.total_spend} /> },
    { title: t('fields.minSpend'), dataIndex: 'min_spend_yuan', hideInTable: true, fieldProps: { placeholder: '0.00' }, formItemProps: { rules: [yuanRule] } },
    { title: t('fields.maxSpend'), dataIndex: 'max_spend_yuan', hideInTable: true, fieldProps: { placeholder: '0.00' }, formItemProps: { rules: [yuanRule] } },
    {
      title: t('fields.tags'),
      dataIndex: 'tag',
      render: (_, m) => (m.tags.length ? <Space size={4} wrap>{m.tags.map((tag) => <Tag key={tag}>{tag}</Tag>)}</Space> : '—'),
    },
    {
      title: t('fields.registerStore'),
      dataIndex: 'store_id',
      valueType: 'select',
      hideInSearch: !can('stores.read'),
      fieldProps: { options: (stores.data ?? []).map((s) => ({ value: s.id, label: s.name })), showSearch: true },
      render: (_, m) => (m.register_store_id ? (storeName.get(m.register_store_id) ?? '—') : t('list.hq')),
    },
    { title: t('fields.visitedAfter'), dataIndex: 'visited_after', valueType: 'date', hideInTable: true },
    { title: t('fields.visitedBefore'), dataIndex: 'visited_before', valueType: 'date', hideInTable: true },
    { title: t('fields.lastVisit'), dataIndex: 'last_visit_at', search: false, render: (_, m) => formatDateTime(m.last_visit_at, timeZone) || '—' },
    {
      title: t('fields.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: {
        active: { text: t('statuses.active'), status: 'Success' },
        merged: { text: t('statuses.merged'), status: 'Default' },
        erased: { text: t('statuses.erased'), status: 'Default' },
      },
    },
  ];

  return (
    <PageContainer title={t('list.title')} subTitle={t('list.subtitle')}>
      <CursorTable<Member, SearchValues>
        actionRef={tableRef}
        headerTitle={
          <Space>
            {t('list.title')}
            {matched !== null && <span data-testid="members-matched">{t('list.matched', { count: matched })}</span>}
          </Space>
        }
        columns={columns}
        fetchPage={fetchPage}
        search={{ labelWidth: 'auto', defaultCollapsed: true, span: 8 }}
        onRow={(m) => ({ onDoubleClick: () => navigate(`/members/${m.id}`) })}
        locale={{ emptyText: t('list.empty') }}
        toolBarRender={() => [
          <Access key="export" to="members.export">
            <Dropdown
              menu={{
                items: [
                  { key: 'xlsx', label: t('list.exportXlsx') },
                  { key: 'csv', label: t('list.exportCsv') },
                ],
                onClick: ({ key }) => void exportAs(key as 'csv' | 'xlsx'),
              }}
            >
              <Button icon={<DownloadOutlined />} loading={exporting}>
                {t('list.export')}
              </Button>
            </Dropdown>
          </Access>,
          <Access key="import" to="members.write">
            <Button icon={<ImportOutlined />} onClick={() => navigate('/members/import')}>
              {t('list.import')}
            </Button>
          </Access>,
          <Access key="create" to="members.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('list.create')}
            </Button>
          </Access>,
        ]}
      />
      {can('members.write') && (
        <MemberForm
          open={creating}
          onOpenChange={setCreating}
          onCreate={async (body) => {
            const member = await create.mutateAsync({ body, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('list.created', { phone: member.phone }));
            navigate(`/members/${member.id}`);
          }}
        />
      )}
    </PageContainer>
  );
}

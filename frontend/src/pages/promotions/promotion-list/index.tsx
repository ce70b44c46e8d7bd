import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Promotion } from '../../../api/types';
import { Access, useAccess, useSession } from '../../../app/session';
import { useCurrentStore, useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { formatDateTime } from '../../../lib/time';
import { PromotionForm } from '../PromotionForm';
import { PromotionStatus } from '../PromotionStatus';
import { fetchPromotions, useCreatePromotion, type PromotionFilters } from '../queries';
import { promotionKinds } from '../rule-form';
import { usePromotionPickers } from '../usePickers';

export default function PromotionListPage() {
  const { t, i18n } = useTranslation('promotions');
  const { me } = useSession();
  const { can } = useAccess();
  const { storeId } = useCurrentStore();
  const zone = useTimeZone();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const tableRef = useRef<ActionType>();
  const [creating, setCreating] = useState(false);
  const idempotency = useIdempotencyKey();
  const create = useCreatePromotion();
  const pickers = usePromotionPickers();
  const en = i18n.language === 'en';

  const columns: ProColumns<Promotion>[] = [
    {
      title: t('list.name'),
      dataIndex: 'name',
      search: false,
      ellipsis: true,
      render: (_, p) => <Link to={`/promotions/${p.id}`}>{en ? p.name_en || p.name : p.name}</Link>,
    },
    { title: t('list.kind'), dataIndex: 'kind', valueType: 'select', valueEnum: Object.fromEntries(promotionKinds.map((k) => [k, { text: t(`kinds.${k}`) }])) },
    {
      title: t('list.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: Object.fromEntries((['draft', 'active', 'paused', 'ended'] as const).map((s) => [s, { text: t(`statuses.${s}`) }])),
      render: (_, p) => <PromotionStatus status={p.status} />,
    },
    {
      title: t('list.owner'),
      dataIndex: 'owner',
      valueType: 'select',
      hideInSearch: !me.chain_wide,
      valueEnum: { hq: { text: t('owners.hq') }, franchisee: { text: t('owners.franchisee') } },
    },
    { title: t('list.stores'), dataIndex: 'stores', search: false, render: (_, p) => t(`scopes.${p.stores.scope ?? 'all'}`) },
    {
      title: t('list.window'),
      dataIndex: 'window',
      search: false,
      render: (_, p) =>
        p.window.starts || p.window.ends
          ? `${formatDateTime(p.window.starts, zone) || '…'} – ${formatDateTime(p.window.ends, zone) || '…'}`
          : t('list.always'),
    },
    { title: t('list.priority'), dataIndex: 'priority', search: false, width: 80 },
    { title: t('list.updatedAt'), dataIndex: 'updated_at', search: false, render: (_, p) => formatDateTime(p.updated_at, zone) },
  ];

  return (
    <PageContainer title={t('list.title')} subTitle={storeId ? t('list.subtitleStore') : t('list.subtitle')}>
      <CursorTable<Promotion, PromotionFilters>
        actionRef={tableRef}
        headerTitle={t('list.title')}
        columns={columns}
        params={{ store_id: storeId ?? undefined }}
        fetchPage={fetchPromotions}
        onRow={(p) => ({ onDoubleClick: () => navigate(`/promotions/${p.id}`) })}
        locale={{ emptyText: t('list.empty') }}
        toolBarRender={() => [
          <Access key="create" to="promotions.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('list.create')}
            </Button>
          </Access>,
        ]}
      />
      {can('promotions.write') && (
        <PromotionForm
          hq={me.chain_wide}
          pickers={pickers}
          open={creating}
          onOpenChange={setCreating}
          onCreate={async (input) => {
            const p = await create.mutateAsync({ body: input, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('list.created', { name: p.name }));
            navigate(`/promotions/${p.id}`);
          }}
        />
      )}
    </PageContainer>
  );
}

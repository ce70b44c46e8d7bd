import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { MemberGift } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useCreateGift, useGifts, useSetGiftActive } from '../queries';
import { GiftForm } from '../RewardForms';

/** The points gift catalogue (积分兑换礼品): members redeem these from the 360 view; gifts are deactivated, never deleted. */
export default function GiftListPage() {
  const { t } = useTranslation('members');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const gifts = useGifts(true);
  const create = useCreateGift();
  const setActive = useSetGiftActive();
  const idempotency = useIdempotencyKey();
  const [creating, setCreating] = useState(false);
  const writable = can('members.write');

  if (gifts.error) return <ErrorResult error={gifts.error} onRetry={() => void gifts.refetch()} />;

  const toggle = async (gift: MemberGift) => {
    try {
      await setActive.mutateAsync({ id: gift.id, active: !gift.active });
      void message.success(gift.active ? t('gifts.deactivated') : t('gifts.activated'));
    } catch (e) {
      showError(e);
    }
  };

  const columns: ProColumns<MemberGift>[] = [
    { title: t('gifts.name'), dataIndex: 'name' },
    { title: t('gifts.pointsCost'), dataIndex: 'points_cost', align: 'right' },
    { title: t('gifts.stock'), dataIndex: 'stock', align: 'right', render: (_, g) => (g.stock === null ? t('gifts.unlimited') : g.stock) },
    { title: t('fields.status'), dataIndex: 'active', render: (_, g) => <Tag color={g.active ? 'green' : 'default'}>{g.active ? t('tiers.active') : t('tiers.inactive')}</Tag> },
    { title: t('gifts.createdAt'), dataIndex: 'created_at', render: (_, g) => formatDateTime(g.created_at, timeZone) },
    ...(writable
      ? [
          {
            title: t('ledger.actions'),
            key: 'actions',
            render: (_: unknown, g: MemberGift) => <a onClick={() => void toggle(g)}>{g.active ? t('tiers.deactivate') : t('tiers.activate')}</a>,
          },
        ]
      : []),
  ];

  return (
    <PageContainer title={t('gifts.title')} subTitle={t('gifts.subtitle')}>
      <ProTable<MemberGift>
        rowKey="id"
        search={false}
        loading={gifts.isLoading}
        dataSource={gifts.data}
        columns={columns}
        pagination={false}
        options={false}
        locale={{ emptyText: t('gifts.empty') }}
        toolBarRender={() =>
          writable
            ? [
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('gifts.create')}
                </Button>,
              ]
            : []
        }
      />
      {creating && (
        <GiftForm
          onClose={() => setCreating(false)}
          onSubmit={async (body) => {
            await create.mutateAsync({ body, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('common:state.saved'));
          }}
        />
      )}
    </PageContainer>
  );
}

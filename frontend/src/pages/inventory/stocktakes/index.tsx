import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormSwitch, ProFormText, ProFormTreeSelect, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Form, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Stocktake } from '../../../api/types';
import { Access } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { StorePicker, storeLabel, useStoreList, useWorkingStore } from '../../../components/StorePicker';
import { formSubmitter } from '../../../components/form-submitter';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { categoryTreeData } from '../../catalog/ProductForm';
import { useCategoryTree } from '../../catalog/queries';
import { fetchStocktakes, useOpenStocktake } from '../queries';

export const stocktakeColor: Record<Stocktake['status'], string> = { counting: 'processing', posted: 'success', cancelled: 'default' };

interface OpenValues {
  category_ids?: string[];
  blind?: boolean;
  note?: string;
}

export default function StocktakesPage() {
  const { t } = useTranslation('inventory');
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const stores = useStoreList();
  const storeName = new Map((stores.data ?? []).map((s) => [s.id, storeLabel(s)]));
  const tree = useCategoryTree();
  const open = useOpenStocktake();
  const idempotency = useIdempotencyKey();
  const [creating, setCreating] = useState(false);
  const [storeId, setStoreId] = useWorkingStore();
  const [form] = Form.useForm<OpenValues>();

  const columns: ProColumns<Stocktake>[] = [
    {
      title: t('stocktakes.store'),
      dataIndex: 'store_id',
      valueType: 'select',
      fieldProps: { options: (stores.data ?? []).map((s) => ({ value: s.id, label: storeLabel(s) })), showSearch: true },
      render: (_, s) => <Link to={`/inventory/stocktakes/${s.id}`}>{storeName.get(s.store_id) ?? s.store_id}</Link>,
    },
    {
      title: t('stocktakes.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: Object.fromEntries((['counting', 'posted', 'cancelled'] as const).map((k) => [k, { text: t(`stocktakes.statuses.${k}`) }])),
      render: (_, s) => <Tag color={stocktakeColor[s.status]}>{t(`stocktakes.statuses.${s.status}`)}</Tag>,
    },
    { title: t('stocktakes.scope'), dataIndex: 'scope', search: false, render: (_, s) => t(`stocktakes.scopes.${s.scope}`) + (s.blind ? ` · ${t('stocktakes.blind')}` : '') },
    { title: t('stocktakes.progress'), dataIndex: 'counted_lines', search: false, render: (_, s) => `${s.counted_lines} / ${s.line_count}` },
    { title: t('stocktakes.openedAt'), dataIndex: 'opened_at', search: false, render: (_, s) => formatDateTime(s.opened_at, timeZone) },
    { title: t('stocktakes.openedBy'), dataIndex: 'opened_by_name', search: false, render: (_, s) => s.opened_by_name || '—' },
    { title: t('stocktakes.postedAt'), dataIndex: 'posted_at', search: false, render: (_, s) => formatDateTime(s.posted_at, timeZone) || '—' },
    { title: t('stocktakes.note'), dataIndex: 'note', search: false, ellipsis: true, render: (_, s) => s.note || '—' },
  ];

  return (
    <PageContainer title={t('stocktakes.title')} subTitle={t('stocktakes.subtitle')}>
      <CursorTable<Stocktake>
        headerTitle={t('stocktakes.title')}
        columns={columns}
        fetchPage={fetchStocktakes}
        onRow={(s) => ({ onDoubleClick: () => navigate(`/inventory/stocktakes/${s.id}`) })}
        locale={{ emptyText: t('stocktakes.empty') }}
        toolBarRender={() => [
          <Access key="create" to="inventory.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('stocktakes.create')}
            </Button>
          </Access>,
        ]}
      />
      <ModalForm<OpenValues>
        title={t('stocktakes.create')}
        name="stocktake"
        form={form}
        open={creating}
        onOpenChange={setCreating}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={560}
        layout="horizontal"
        labelCol={{ span: 6 }}
        onFinish={async (v) => {
          if (!storeId) return false;
          try {
            const created = await open.mutateAsync({
              idempotencyKey: idempotency.key(),
              body: { store_id: storeId, category_ids: v.category_ids?.length ? v.category_ids : undefined, blind: v.blind ?? false, note: v.note?.trim() ?? '' },
            });
            idempotency.rotate();
            void message.success(t('stocktakes.opened', { count: created.line_count }));
            navigate(`/inventory/stocktakes/${created.id}`);
            return true;
          } catch (e) {
            showError(e, form);
            return false;
          }
        }}
      >
        <Form.Item label={t('stocktakes.store')} required>
          <StorePicker value={storeId} onChange={setStoreId} aria-label={t('stocktakes.store')} />
        </Form.Item>
        <ProFormTreeSelect
          name="category_ids"
          label={t('stocktakes.categories')}
          extra={t('stocktakes.categoriesHint')}
          fieldProps={{ treeData: categoryTreeData(tree.data ?? []), multiple: true, treeDefaultExpandAll: true, showSearch: true, treeNodeFilterProp: 'title' }}
        />
        <ProFormSwitch name="blind" label={t('stocktakes.blind')} extra={t('stocktakes.blindHint')} />
        <ProFormText name="note" label={t('stocktakes.note')} rules={[{ max: 500 }]} />
      </ModalForm>
    </PageContainer>
  );
}

import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormText, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Form } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Brand } from '../../../api/types';
import { Access, useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { formSubmitter } from '../../../components/form-submitter';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { fetchBrands, useSaveBrand } from '../queries';

export default function BrandsPage() {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const tableRef = useRef<ActionType>();
  const save = useSaveBrand();
  const idempotency = useIdempotencyKey();
  const [editing, setEditing] = useState<Brand | 'new'>();
  const [form] = Form.useForm<{ name: string }>();

  const columns: ProColumns<Brand>[] = [
    { title: t('brands.keyword'), dataIndex: 'q', hideInTable: true },
    { title: t('brands.name'), dataIndex: 'name', search: false },
    { title: t('brands.createdAt'), dataIndex: 'created_at', search: false, render: (_, b) => formatDateTime(b.created_at, timeZone) },
    {
      title: t('common:actions.more'),
      valueType: 'option',
      hideInTable: !can('catalog.write'),
      render: (_, b) => [
        <a key="edit" onClick={() => setEditing(b)}>
          {t('brands.rename')}
        </a>,
      ],
    },
  ];

  return (
    <PageContainer title={t('brands.title')} subTitle={t('brands.subtitle')}>
      <CursorTable<Brand>
        actionRef={tableRef}
        headerTitle={t('brands.title')}
        columns={columns}
        fetchPage={fetchBrands}
        locale={{ emptyText: t('brands.empty') }}
        toolBarRender={() => [
          <Access key="create" to="catalog.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('brands.create')}
            </Button>
          </Access>,
        ]}
      />
      <ModalForm<{ name: string }>
        title={editing === 'new' ? t('brands.create') : t('brands.rename')}
        name="brand"
        form={form}
        open={!!editing}
        onOpenChange={(open) => !open && setEditing(undefined)}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={440}
        initialValues={editing && editing !== 'new' ? { name: editing.name } : {}}
        onFinish={async ({ name }) => {
          try {
            await save.mutateAsync({ id: editing === 'new' ? undefined : editing?.id, name: name.trim(), idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('common:state.saved'));
            void tableRef.current?.reload();
            return true;
          } catch (e) {
            showError(e, form, { 'brands.name_taken': 'name' });
            return false;
          }
        }}
      >
        <ProFormText name="name" label={t('brands.name')} rules={[{ required: true }, { max: 100 }]} />
      </ModalForm>
    </PageContainer>
  );
}

import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormRadio, ProFormText, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Form, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Unit, UnitInput } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useCreateUnit, useUnits } from '../queries';

export default function UnitsPage() {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const units = useUnits();
  const create = useCreateUnit();
  const idempotency = useIdempotencyKey();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<UnitInput>();

  if (units.error) return <ErrorResult error={units.error} onRetry={() => void units.refetch()} />;

  const columns: ProColumns<Unit>[] = [
    { title: t('units.code'), dataIndex: 'code', width: 120 },
    { title: t('units.name'), dataIndex: 'name' },
    { title: t('units.kind'), dataIndex: 'kind', render: (_, u) => <Tag color={u.kind === 'weight' ? 'blue' : 'default'}>{t(`units.kinds.${u.kind}`)}</Tag> },
    { title: t('units.createdAt'), dataIndex: 'created_at', render: (_, u) => formatDateTime(u.created_at, timeZone) },
  ];

  return (
    <PageContainer title={t('units.title')} subTitle={t('units.subtitle')}>
      <ProTable<Unit>
        rowKey="id"
        headerTitle={t('units.title')}
        search={false}
        options={false}
        pagination={false}
        loading={units.isLoading}
        columns={columns}
        dataSource={units.data}
        locale={{ emptyText: t('units.empty') }}
        toolBarRender={() =>
          can('catalog.write')
            ? [
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('units.create')}
                </Button>,
              ]
            : []
        }
      />
      <ModalForm<UnitInput>
        title={t('units.create')}
        form={form}
        open={creating}
        onOpenChange={setCreating}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={440}
        initialValues={{ kind: 'count' }}
        onFinish={async (body) => {
          try {
            await create.mutateAsync({ body: { ...body, code: body.code.trim(), name: body.name.trim() }, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('common:state.created'));
            return true;
          } catch (e) {
            showError(e, form, { 'units.code_taken': 'code' });
            return false;
          }
        }}
      >
        <ProFormText name="code" label={t('units.code')} placeholder="box" rules={[{ required: true }, { pattern: /^[a-z0-9_]{1,16}$/, message: t('units.codeInvalid') }]} />
        <ProFormText name="name" label={t('units.name')} placeholder="箱" rules={[{ required: true }, { max: 50 }]} />
        <ProFormRadio.Group
          name="kind"
          label={t('units.kind')}
          radioType="button"
          options={[
            { value: 'count', label: t('units.kinds.count') },
            { value: 'weight', label: t('units.kinds.weight') },
          ]}
        />
      </ModalForm>
    </PageContainer>
  );
}

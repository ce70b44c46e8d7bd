import { PageContainer, ProForm, ProFormDigit, ProFormList, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { App, Card, Form, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScaleLayouts } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { useScaleLayouts, useSetScaleLayouts } from '../queries';

/** How the chain's scales print in-store barcodes for weighed goods (条码秤格式): read by every till's look-up. */
export default function ScaleLayoutsPage() {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const layouts = useScaleLayouts();
  const save = useSetScaleLayouts();
  const [form] = Form.useForm<ScaleLayouts>();

  if (layouts.error) return <ErrorResult error={layouts.error} onRetry={() => void layouts.refetch()} />;
  if (!layouts.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const writable = can('catalog.write');

  return (
    <PageContainer title={t('scale.title')} subTitle={t('scale.subtitle')}>
      <Card style={{ maxWidth: 900 }}>
        <Typography.Paragraph type="secondary">{t('scale.hint')}</Typography.Paragraph>
        <ProForm<ScaleLayouts>
          form={form}
          disabled={!writable}
          initialValues={layouts.data}
          submitter={writable ? { searchConfig: { submitText: t('common:actions.save') }, resetButtonProps: false } : false}
          onFinish={async (v) => {
            try {
              await save.mutateAsync({ layouts: v.layouts ?? [] });
              void message.success(t('common:state.saved'));
            } catch (e) {
              showError(e, form);
            }
          }}
        >
          <ProFormList name="layouts" creatorButtonProps={writable ? { creatorButtonText: t('scale.add') } : false} copyIconProps={false} min={1} max={5}>
            <ProForm.Group>
              <ProFormText name="prefix" label={t('scale.prefix')} width="xs" rules={[{ required: true }, { pattern: /^[0-9]{1,3}$/, message: t('scale.prefixInvalid') }]} />
              <ProFormDigit name="plu_length" label={t('scale.pluLength')} width="xs" min={4} max={6} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
              <ProFormSelect
                name="value_kind"
                label={t('scale.valueKind')}
                width="sm"
                allowClear={false}
                rules={[{ required: true }]}
                options={(['weight', 'price', 'price_weight'] as const).map((k) => ({ value: k, label: t(`scale.kinds.${k}`) }))}
              />
              <ProFormDigit name="value_length" label={t('scale.valueLength')} width="xs" min={4} max={6} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
            </ProForm.Group>
          </ProFormList>
        </ProForm>
      </Card>
    </PageContainer>
  );
}

import { PageContainer, ProDescriptions } from '@ant-design/pro-components';
import { App, Button, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/time';
import { formatTaxRate } from '../catalog-input';
import { ProductForm } from '../ProductForm';
import { SkuPanel } from '../SkuPanel';
import { flattenTree, useBrandOptions, useCategoryTree, useProduct, useUnits, useUpdateProduct } from '../queries';

export default function ProductDetailPage() {
  const { t } = useTranslation('catalog');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const { message } = App.useApp();
  const timeZone = useTimeZone();
  const product = useProduct(id);
  const update = useUpdateProduct(id);
  const tree = useCategoryTree();
  const brands = useBrandOptions();
  const units = useUnits();
  const [editing, setEditing] = useState(false);

  if (product.error) return <ErrorResult error={product.error} onRetry={() => void product.refetch()} />;
  if (!product.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const p = product.data;
  const category = flattenTree(tree.data ?? []).find((c) => c.id === p.category_id);
  const unit = units.data?.find((u) => u.id === p.unit_id);

  return (
    <PageContainer
      title={`${p.name}（${p.code}）`}
      onBack={() => history.back()}
      tags={<Tag color={p.status === 'active' ? 'green' : 'default'}>{t(`products.statuses.${p.status}`)}</Tag>}
      extra={
        can('catalog.write') && (
          <Space>
            <Button onClick={() => setEditing(true)}>{t('common:actions.edit')}</Button>
          </Space>
        )
      }
    >
      <ProDescriptions column={2} bordered style={{ marginBottom: 24 }}>
        <ProDescriptions.Item label={t('products.code')}>{p.code}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.name')}>{p.name}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.category')}>{category?.path ?? '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.brand')}>{brands.data?.find((b) => b.id === p.brand_id)?.name ?? '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.unit')}>{unit ? `${unit.name}（${unit.code}）` : '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.taxRate')}>{formatTaxRate(p.tax_rate_bp)}%</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.shelfLife')}>{p.shelf_life_days ? `${p.shelf_life_days} ${t('products.days')}` : '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.weighed')}>{p.weighed ? t('products.weighedTag') : '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.description')} span={2}>
          {p.description || '—'}
        </ProDescriptions.Item>
        <ProDescriptions.Item label={t('products.updatedAt')}>{formatDateTime(p.updated_at, timeZone)}</ProDescriptions.Item>
      </ProDescriptions>
      <SkuPanel product={p} />
      <ProductForm
        product={p}
        open={editing}
        onOpenChange={setEditing}
        categories={tree.data ?? []}
        brands={brands.data ?? []}
        units={units.data ?? []}
        onUpdate={async (body) => {
          await update.mutateAsync(body);
          void message.success(t('common:state.saved'));
        }}
      />
    </PageContainer>
  );
}

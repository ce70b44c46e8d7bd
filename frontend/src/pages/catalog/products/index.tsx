import { DownloadOutlined, PlusOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Dropdown, Tag } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Product } from '../../../api/types';
import { Access, useAccess } from '../../../app/session';
import { CursorTable } from '../../../components/CursorTable';
import { useShowError } from '../../../components/useShowError';
import { Money } from '../../../components/Money';
import { ProductForm, categoryTreeData } from '../ProductForm';
import { downloadExport, fetchProducts, flattenTree, useBrandOptions, useCategoryTree, useCreateProduct, useUnits } from '../queries';
import { priceSpan, type PriceSpan } from './price-span';

/** PriceCell: HQ's price in force of a product's SKUs, one price or a range ("—" when none is set). */
function PriceCell({ span }: { span: PriceSpan | null }) {
  const { t } = useTranslation('catalog');
  if (!span) return <>—</>;
  const unpriced = span.unpriced > 0 ? <Tag style={{ marginInlineStart: 4 }}>{t('products.unpricedSkus', { count: span.unpriced })}</Tag> : null;
  if (span.min === span.max)
    return (
      <>
        <Money fen={span.min} />
        {unpriced}
      </>
    );
  return (
    <>
      <Money fen={span.min} /> – <Money fen={span.max} />
      {unpriced}
    </>
  );
}

export default function ProductListPage() {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const tableRef = useRef<ActionType>();
  const [creating, setCreating] = useState(false);
  const idempotency = useIdempotencyKey();
  const create = useCreateProduct();
  const tree = useCategoryTree();
  const brands = useBrandOptions();
  const units = useUnits();
  const categoryPath = new Map(flattenTree(tree.data ?? []).map((c) => [c.id, c.path]));
  const brandName = new Map((brands.data ?? []).map((b) => [b.id, b.name]));
  const unitName = new Map((units.data ?? []).map((u) => [u.id, u.name]));

  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      await downloadExport(format);
    } catch (e) {
      showError(e);
    }
  };

  const columns: ProColumns<Product>[] = [
    { title: t('products.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('products.keywordHint') } },
    { title: t('products.code'), dataIndex: 'code', search: false, width: 140, render: (_, p) => <Link to={`/catalog/products/${p.id}`}>{p.code}</Link> },
    { title: t('products.name'), dataIndex: 'name', search: false, ellipsis: true },
    {
      title: t('products.category'),
      dataIndex: 'category_id',
      valueType: 'treeSelect',
      fieldProps: { treeData: categoryTreeData(tree.data ?? []), showSearch: true, treeNodeFilterProp: 'title' },
      render: (_, p) => categoryPath.get(p.category_id) ?? '—',
    },
    {
      title: t('products.brand'),
      dataIndex: 'brand_id',
      valueType: 'select',
      fieldProps: { options: (brands.data ?? []).map((b) => ({ value: b.id, label: b.name })), showSearch: true },
      render: (_, p) => (p.brand_id ? (brandName.get(p.brand_id) ?? '—') : '—'),
    },
    { title: t('products.unit'), dataIndex: 'unit_id', search: false, render: (_, p) => unitName.get(p.unit_id) ?? '—' },
    { title: t('products.listPrice'), key: 'list_price', search: false, align: 'right', render: (_, p) => <PriceCell span={priceSpan(p.skus, 'list')} /> },
    { title: t('products.memberPrice'), key: 'member_price', search: false, align: 'right', render: (_, p) => <PriceCell span={priceSpan(p.skus, 'member')} /> },
    { title: t('products.weighed'), dataIndex: 'weighed', search: false, render: (_, p) => (p.weighed ? <Tag color="blue">{t('products.weighedTag')}</Tag> : '—') },
    {
      title: t('products.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: {
        active: { text: t('products.statuses.active'), status: 'Success' },
        discontinued: { text: t('products.statuses.discontinued'), status: 'Default' },
      },
    },
  ];

  return (
    <PageContainer title={t('products.title')} subTitle={t('products.subtitle')}>
      <CursorTable<Product>
        actionRef={tableRef}
        headerTitle={t('products.title')}
        columns={columns}
        fetchPage={fetchProducts}
        onRow={(p) => ({ onDoubleClick: () => navigate(`/catalog/products/${p.id}`) })}
        locale={{ emptyText: t('products.empty') }}
        toolBarRender={() => [
          <Access key="labels" to="catalog.read">
            <Button icon={<PrinterOutlined />} onClick={() => navigate('/catalog/labels')}>
              {t('labels.title')}
            </Button>
          </Access>,
          <Access key="export" to="catalog.export">
            <Dropdown
              menu={{
                items: [
                  { key: 'csv', label: 'CSV' },
                  { key: 'xlsx', label: 'Excel (XLSX)' },
                ],
                onClick: ({ key }) => void exportAs(key as 'csv' | 'xlsx'),
              }}
            >
              <Button icon={<DownloadOutlined />}>{t('products.export')}</Button>
            </Dropdown>
          </Access>,
          <Access key="import" to="catalog.write">
            <Button icon={<UploadOutlined />} onClick={() => navigate('/catalog/imports')}>
              {t('imports.title')}
            </Button>
          </Access>,
          <Access key="create" to="catalog.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('products.create')}
            </Button>
          </Access>,
        ]}
      />
      {can('catalog.write') && (
        <ProductForm
          open={creating}
          onOpenChange={setCreating}
          categories={tree.data ?? []}
          brands={brands.data ?? []}
          units={units.data ?? []}
          onCreate={async (body) => {
            const product = await create.mutateAsync({ body, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('products.created', { name: product.name }));
            void tableRef.current?.reload();
          }}
        />
      )}
    </PageContainer>
  );
}

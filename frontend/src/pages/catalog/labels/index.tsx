import { DeleteOutlined, PrinterOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { useQueries } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CatalogItem, SkuMatch } from '../../../api/types';
import { useAccess, useSession } from '../../../app/session';
import { Ean13Barcode } from '../../../components/Ean13Barcode';
import { ErrorResult } from '../../../components/ErrorResult';
import { StorePicker, useWorkingStore } from '../../../components/StorePicker';
import { toEan13 } from '../../../lib/ean13';
import { formatMoney } from '../../../lib/money';
import { specsText } from '../catalog-input';
import { SkuSelect } from '../SkuSelect';
import { fetchLabelItem, useStorePromotions, useUnits } from '../queries';
import { promoPrices } from './promo-price';
import './labels.css';

interface Picked {
  code: string;
  copies: number;
}

/** PriceLabel: one shelf label — name, specs and unit, the price (struck when a promotion price applies), member price, barcode. */
export function PriceLabel({ item, promo, currency, unitName }: { item: CatalogItem; promo?: number; currency: string; unitName?: string }) {
  const { t } = useTranslation('catalog');
  const ean = item.barcodes.map(toEan13).find((b) => b !== null);
  const unitText = unitName ?? item.unit;
  const unit = item.weighed ? `/${unitText}` : '';
  return (
    <div className="price-label" data-testid="price-label">
      <div className="price-label__name">{item.name}</div>
      <div className="price-label__meta">
        {[specsText(item.specs), `${t('labels.unit')}：${unitText}`, item.code].filter(Boolean).join('  ')}
      </div>
      <div className="price-label__barcode">
        {ean ? <Ean13Barcode code={ean} width="30mm" height="14mm" /> : <span className="price-label__barcode--text">{item.barcodes[0] ?? item.plu ?? ''}</span>}
      </div>
      <div className="price-label__prices">
        {promo !== undefined && <div className="price-label__promo">{`${t('labels.promo')} ${formatMoney(promo, currency)}${unit}`}</div>}
        <div className={promo !== undefined ? 'price-label__price price-label__price--struck' : 'price-label__price'}>
          {item.list_price === null ? '—' : `${formatMoney(item.list_price, currency)}${unit}`}
        </div>
        {item.member_price !== null && <div className="price-label__member">{`${t('labels.member')} ${formatMoney(item.member_price, currency)}${unit}`}</div>}
      </div>
    </div>
  );
}

export default function PriceLabelsPage() {
  const { t } = useTranslation('catalog');
  const { me } = useSession();
  const { can } = useAccess();
  const [storeId, setStoreId] = useWorkingStore();
  const [picked, setPicked] = useState<Picked[]>([]);
  const items = useQueries({
    queries: picked.map((p) => ({
      queryKey: ['catalog', 'label', storeId, p.code],
      queryFn: () => fetchLabelItem(storeId ?? '', p.code),
      enabled: !!storeId,
    })),
  });
  const promotions = useStorePromotions(storeId, can('promotions.prices'));
  const units = useUnits();
  const unitName = new Map((units.data ?? []).map((u) => [u.code, u.name]));
  const loaded = items.map((q) => q.data).filter((i): i is CatalogItem => !!i);
  const promo = promoPrices(promotions.data ?? [], loaded.map((i) => i.sku_id));
  const failed = items.find((q) => q.error)?.error;

  const add = (item: Pick<SkuMatch, 'code'>) => setPicked((list) => (list.some((p) => p.code === item.code) ? list : [...list, { code: item.code, copies: 1 }]));
  const sheet = picked.flatMap((p, i) => {
    const item = items[i]?.data;
    return item ? Array.from({ length: p.copies }, (_, n) => ({ key: `${p.code}-${n}`, item })) : [];
  });

  const labels = sheet.map(({ key, item }) => (
    <PriceLabel key={key} item={item} promo={promo.get(item.sku_id)} currency={me.tenant.currency} unitName={unitName.get(item.unit)} />
  ));

  return (
    <PageContainer
      title={t('labels.title')}
      subTitle={t('labels.subtitle')}
      onBack={() => history.back()}
      extra={
        <Button type="primary" icon={<PrinterOutlined />} disabled={sheet.length === 0} onClick={() => window.print()}>
          {t('labels.print')}
        </Button>
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Space wrap>
            <StorePicker value={storeId} onChange={setStoreId} aria-label={t('labels.store')} />
            <SkuSelect status="active" disabled={!storeId} onPick={add} width={360} />
          </Space>
          <Table<Picked>
            style={{ marginTop: 16 }}
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={picked}
            locale={{ emptyText: <Empty description={t('labels.empty')} /> }}
            columns={[
              { title: t('skus.code'), dataIndex: 'code', width: 160 },
              { title: t('skus.name'), render: (_, _p, i) => items[i]?.data?.name ?? (items[i]?.isLoading ? t('common:state.loading') : '—') },
              {
                title: t('labels.price'),
                align: 'right',
                render: (_, _p, i) => {
                  const item = items[i]?.data;
                  return item?.list_price != null ? formatMoney(item.list_price, me.tenant.currency) : '—';
                },
              },
              {
                title: t('labels.promoPrice'),
                align: 'right',
                render: (_, _p, i) => {
                  const id = items[i]?.data?.sku_id;
                  const price = id ? promo.get(id) : undefined;
                  return price !== undefined ? formatMoney(price, me.tenant.currency) : '—';
                },
              },
              {
                title: t('labels.copies'),
                width: 110,
                render: (_, p) => (
                  <InputNumber
                    size="small"
                    min={1}
                    max={99}
                    precision={0}
                    value={p.copies}
                    aria-label={t('labels.copies')}
                    onChange={(n) => setPicked((list) => list.map((x) => (x.code === p.code ? { ...x, copies: n ?? 1 } : x)))}
                  />
                ),
              },
              {
                width: 60,
                render: (_, p) => (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('common:actions.delete')}
                    onClick={() => setPicked((list) => list.filter((x) => x.code !== p.code))}
                  />
                ),
              },
            ]}
          />
          {!can('promotions.prices') && <Alert style={{ marginTop: 12 }} type="info" showIcon message={t('labels.noPromotions')} />}
        </Card>
        {failed !== undefined && <ErrorResult error={failed} />}
        {sheet.length > 0 && (
          <Card title={t('labels.preview', { count: sheet.length })} extra={<Typography.Text type="secondary">{t('labels.a4')}</Typography.Text>}>
            <div className="price-label-sheet" data-testid="label-sheet">
              {labels}
            </div>
          </Card>
        )}
      </Space>
      {sheet.length > 0 &&
        createPortal(
          <div className="price-label-print" data-testid="label-print">
            <div className="price-label-sheet">{labels}</div>
          </div>,
          document.body,
        )}
    </PageContainer>
  );
}

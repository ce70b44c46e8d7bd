import { PageContainer, ProDescriptions } from '@ant-design/pro-components';
import { App, Button, Card, Form, Input, InputNumber, Space, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { QuantityParseError, formatQuantity, parseQuantity } from '../../../lib/quantity';
import { formatDateTime } from '../../../lib/time';
import { MovementForm } from '../MovementForm';
import { MovementTable } from '../MovementTable';
import { useSetThresholds, useStockLevel } from '../queries';
import { qty } from '../lines';

interface ThresholdValues {
  min_qty?: string;
  max_qty?: string;
  safety_qty?: string;
  lead_time_days?: number;
}

const optionalQty = (text: string | undefined) => (text && text.trim() ? Number(parseQuantity(text)) : null);

export default function StockDetailPage() {
  const { t } = useTranslation('inventory');
  const { storeId = '', skuId = '' } = useParams();
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const level = useStockLevel(storeId, skuId);
  const setThresholds = useSetThresholds(storeId, skuId);
  const [form] = Form.useForm<ThresholdValues>();
  const [moving, setMoving] = useState<'receipt' | 'adjustment'>();
  const [version, setVersion] = useState(0);

  if (level.error) return <ErrorResult error={level.error} onRetry={() => void level.refetch()} />;
  if (!level.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const s = level.data;

  const qtyRule = {
    validator: async (_: unknown, v: string | undefined) => {
      if (!v || !v.trim()) return;
      try {
        if (parseQuantity(v) < 0n) throw new QuantityParseError('format');
      } catch (e) {
        throw new Error(t(`common:quantity.${e instanceof QuantityParseError ? e.reason : 'format'}`));
      }
    },
  };

  return (
    <PageContainer
      title={`${s.sku_name}（${s.sku_code}）`}
      subTitle={t('stockDetail.subtitle')}
      onBack={() => history.back()}
      extra={
        can('inventory.write') && (
          <Space>
            <Button onClick={() => setMoving('adjustment')}>{t('stockDetail.move')}</Button>
            <Button type="primary" onClick={() => setMoving('receipt')}>
              {t('stock.receive')}
            </Button>
          </Space>
        )
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <ProDescriptions column={3} bordered>
          <ProDescriptions.Item label={t('stock.onHand')}>
            <span data-testid="detail-on-hand">{formatQuantity(s.on_hand, s.unit)}</span>
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('stock.inTransit')}>{formatQuantity(s.in_transit, s.unit)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stock.avgCost')}>{s.avg_cost === null ? '—' : <Money fen={s.avg_cost} />}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stock.value')}>{s.stock_value === null ? '—' : <Money fen={s.stock_value} />}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stock.lastSale')}>{formatDateTime(s.last_sale_at, timeZone) || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stock.lastMovement')}>{formatDateTime(s.last_movement_at, timeZone) || '—'}</ProDescriptions.Item>
        </ProDescriptions>
        <Card title={t('thresholds.title')}>
          <Form<ThresholdValues>
            form={form}
            layout="inline"
            disabled={!can('inventory.write')}
            initialValues={{
              min_qty: s.min_qty === null ? '' : formatQuantity(s.min_qty).replace(/,/g, ''),
              max_qty: s.max_qty === null ? '' : formatQuantity(s.max_qty).replace(/,/g, ''),
              safety_qty: formatQuantity(s.safety_qty).replace(/,/g, ''),
              lead_time_days: s.lead_time_days,
            }}
            onFinish={async (v) => {
              try {
                await setThresholds.mutateAsync({
                  min_qty: optionalQty(v.min_qty),
                  max_qty: optionalQty(v.max_qty),
                  safety_qty: optionalQty(v.safety_qty) ?? 0,
                  lead_time_days: v.lead_time_days ?? 0,
                });
                void message.success(t('common:state.saved'));
              } catch (e) {
                showError(e, form);
              }
            }}
          >
            <Form.Item name="min_qty" label={t('thresholds.min')} rules={[qtyRule]}>
              <Input style={{ width: 110 }} placeholder={t('thresholds.none')} />
            </Form.Item>
            <Form.Item name="max_qty" label={t('thresholds.max')} rules={[qtyRule]}>
              <Input style={{ width: 110 }} placeholder={t('thresholds.none')} />
            </Form.Item>
            <Form.Item name="safety_qty" label={t('thresholds.safety')} rules={[qtyRule]}>
              <Input style={{ width: 110 }} />
            </Form.Item>
            <Form.Item name="lead_time_days" label={t('thresholds.leadTime')}>
              <InputNumber min={0} max={365} precision={0} suffix={t('thresholds.days')} style={{ width: 130 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={setThresholds.isPending}>
                {t('common:actions.save')}
              </Button>
            </Form.Item>
          </Form>
          <div style={{ marginTop: 8, color: 'rgba(0,0,0,.45)' }}>{t('thresholds.hint', { current: qty(s.on_hand, s.unit) })}</div>
        </Card>
        <MovementTable key={version} storeId={storeId} skuId={skuId} />
      </Space>
      <MovementForm
        open={!!moving}
        onClose={() => setMoving(undefined)}
        storeId={storeId}
        kind={moving}
        onDone={() => setVersion((n) => n + 1)}
        initialLines={[{ sku_id: s.sku_id, code: s.sku_code, name: s.sku_name, unit: s.unit.name, qty: '' }]}
      />
    </PageContainer>
  );
}

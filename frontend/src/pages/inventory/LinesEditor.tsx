import { DeleteOutlined } from '@ant-design/icons';
import { Button, DatePicker, Input, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { dayjs } from '../../lib/time';
import { SkuSelect } from '../catalog/SkuSelect';
import { addDraftLine, draftLine, type DraftLine } from './lines';

export interface LinesEditorProps {
  storeId: string | null | undefined;
  lines: DraftLine[];
  onChange: (lines: DraftLine[]) => void;
  /** Problems to show under the lines, by index (the form's checks or the API's field errors). */
  errors?: Record<number, string>;
  withCost?: boolean;
  withExpiry?: boolean;
  qtyLabel?: string;
}

/** LinesEditor: a document's SKU lines — find a SKU (or scan it), type its quantity, and cost and expiry where they apply. */
export function LinesEditor({ storeId, lines, onChange, errors = {}, withCost, withExpiry, qtyLabel }: LinesEditorProps) {
  const { t } = useTranslation('inventory');
  const set = (i: number, patch: Partial<DraftLine>) => onChange(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <SkuSelect disabled={!storeId} onPick={(item) => onChange(addDraftLine(lines, draftLine(item)))} />
      <Table<DraftLine>
        rowKey="sku_id"
        size="small"
        pagination={false}
        dataSource={lines}
        locale={{ emptyText: t('lines.empty') }}
        columns={[
          {
            title: t('lines.sku'),
            render: (_, l, i) => (
              <>
                <div>
                  {l.code} · {l.name}
                </div>
                {errors[i] && (
                  <Typography.Text type="danger" role="alert">
                    {errors[i]}
                  </Typography.Text>
                )}
              </>
            ),
          },
          {
            title: qtyLabel ?? t('lines.qty'),
            width: 150,
            render: (_, l, i) => (
              <Input
                size="small"
                value={l.qty}
                status={errors[i] ? 'error' : undefined}
                aria-label={`${qtyLabel ?? t('lines.qty')} ${l.code}`}
                suffix={l.unit}
                onChange={(e) => set(i, { qty: e.target.value })}
              />
            ),
          },
          ...(withCost
            ? [
                {
                  title: t('lines.unitCost'),
                  width: 130,
                  render: (_: unknown, l: DraftLine, i: number) => (
                    <Input size="small" prefix="¥" value={l.unit_cost ?? ''} aria-label={`${t('lines.unitCost')} ${l.code}`} onChange={(e) => set(i, { unit_cost: e.target.value })} />
                  ),
                },
              ]
            : []),
          ...(withExpiry
            ? [
                {
                  title: t('lines.expiry'),
                  width: 150,
                  render: (_: unknown, l: DraftLine, i: number) => (
                    <DatePicker
                      size="small"
                      value={l.expiry_date ? dayjs(l.expiry_date) : null}
                      aria-label={`${t('lines.expiry')} ${l.code}`}
                      onChange={(d) => set(i, { expiry_date: d ? d.format('YYYY-MM-DD') : undefined })}
                    />
                  ),
                },
              ]
            : []),
          {
            width: 48,
            render: (_, l) => (
              <Button
                type="text"
                size="small"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common:actions.delete')}
                onClick={() => onChange(lines.filter((x) => x.sku_id !== l.sku_id))}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}

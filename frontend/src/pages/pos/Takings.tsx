import { ProDescriptions } from '@ant-design/pro-components';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PosTakings } from '../../api/types';
import { Money } from '../../components/Money';
import { tenderLabel } from './labels';

/** Takings: the money figures of a shift or a day, and money by tender. */
export function Takings({ takings }: { takings: PosTakings }) {
  const { t } = useTranslation('pos');
  return (
    <>
      <ProDescriptions column={{ xs: 1, md: 2, lg: 3 }} bordered size="small">
        <ProDescriptions.Item label={t('takings.sales')}>{takings.sales}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.gross')}><Money fen={takings.gross} /></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.discount')}><Money fen={takings.discount} /></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.rounding')}><Money fen={takings.rounding} /></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.total')}><Money fen={takings.total} /></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.returns')}>{takings.returns}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.refunded')}><Money fen={takings.refunded} /></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.voids')}>{takings.voids}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.voided')}><Money fen={takings.voided} /></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.net')}><strong><Money fen={takings.net} /></strong></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.cogs')}><Money fen={takings.cogs} /></ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.memberSales')}>{takings.member_sales}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.pointsUsed')}>{takings.points_used}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('takings.pointsEarned')}>{takings.points_earned}</ProDescriptions.Item>
      </ProDescriptions>
      <Table
        style={{ marginTop: 16 }}
        size="small"
        rowKey="method"
        pagination={false}
        dataSource={takings.by_tender ?? []}
        locale={{ emptyText: t('takings.noTenders') }}
        columns={[
          { title: t('takings.tender'), dataIndex: 'method', render: (m: string) => tenderLabel(t, m) },
          { title: t('takings.taken'), dataIndex: 'taken', align: 'right', render: (v: number) => <Money fen={v} /> },
          { title: t('takings.tenderRefunded'), dataIndex: 'refunded', align: 'right', render: (v: number) => <Money fen={v} /> },
          { title: t('takings.tenderNet'), dataIndex: 'net', align: 'right', render: (v: number) => <Money fen={v} /> },
        ]}
      />
    </>
  );
}

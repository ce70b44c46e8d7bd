import { InboxOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Checkbox, Descriptions, Progress, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { CatalogImport, RowError } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { importBusy, useCommitImport, useImportJob, useUploadImport } from '../queries';

const statusColor: Record<CatalogImport['status'], string> = { validated: 'blue', committing: 'orange', committed: 'green', failed: 'red' };

/** importProgress: percent of the rows processed (validating or committing), 0–100. */
export function importProgress(job: Pick<CatalogImport, 'status' | 'total_rows' | 'processed_rows' | 'written_rows' | 'valid_rows'>): number {
  if (job.status === 'committed') return 100;
  if (job.status === 'committing') return job.valid_rows === 0 ? 0 : Math.floor((job.written_rows * 100) / job.valid_rows);
  return job.total_rows === 0 ? 100 : Math.floor((job.processed_rows * 100) / job.total_rows);
}


export default function ImportPage() {
  const { t } = useTranslation('catalog');
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? undefined;
  const upload = useUploadImport();
  const commit = useCommitImport();
  const [acceptErrors, setAcceptErrors] = useState(false);
  const job = useImportJob(id);
  const data = job.data;
  const busy = importBusy;

  const columns: ProColumns<RowError>[] = [
    { title: t('imports.line'), dataIndex: 'line', width: 80 },
    { title: t('imports.field'), dataIndex: 'field', width: 160 },
    { title: t('imports.message'), dataIndex: 'message' },
  ];

  return (
    <PageContainer title={t('imports.title')} subTitle={t('imports.subtitle')} onBack={() => history.back()}>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Upload.Dragger
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            disabled={upload.isPending}
            beforeUpload={(file) => {
              upload.mutate(file, {
                onSuccess: (created) => {
                  setAcceptErrors(false);
                  setParams({ id: created.id });
                },
                onError: (e) => showError(e),
              });
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{upload.isPending ? t('imports.uploading') : t('imports.drop')}</p>
            <p className="ant-upload-hint">{t('imports.columns')}</p>
          </Upload.Dragger>
        </Card>
        {id && job.error && <ErrorResult error={job.error} onRetry={() => void job.refetch()} />}
        {data && (
          <Card
            title={
              <Space>
                {data.filename || t('imports.file')}
                <Tag color={statusColor[data.status]}>{t(`imports.statuses.${data.status}`)}</Tag>
              </Space>
            }
          >
            <Progress percent={importProgress(data)} status={data.status === 'failed' ? 'exception' : busy(data) ? 'active' : undefined} data-testid="import-progress" />
            <Descriptions size="small" column={4} style={{ marginTop: 16 }}>
              <Descriptions.Item label={t('imports.total')}>{data.total_rows}</Descriptions.Item>
              <Descriptions.Item label={t('imports.valid')}>{data.valid_rows}</Descriptions.Item>
              <Descriptions.Item label={t('imports.errorRows')}>
                <Typography.Text type={data.error_rows > 0 ? 'danger' : undefined}>{data.error_rows}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('imports.written')}>{data.written_rows}</Descriptions.Item>
              <Descriptions.Item label={t('imports.createdAt')}>{formatDateTime(data.created_at, timeZone)}</Descriptions.Item>
              <Descriptions.Item label={t('imports.committedAt')}>{formatDateTime(data.committed_at, timeZone) || '—'}</Descriptions.Item>
            </Descriptions>
            {data.failure && <Alert type="error" showIcon message={data.failure} style={{ marginBottom: 16 }} />}
            {data.status === 'validated' && !busy(data) && (
              <Space style={{ marginBottom: 16 }}>
                {data.error_rows > 0 && (
                  <Checkbox checked={acceptErrors} onChange={(e) => setAcceptErrors(e.target.checked)}>
                    {t('imports.acceptErrors', { count: data.error_rows })}
                  </Checkbox>
                )}
                <Button
                  type="primary"
                  disabled={data.valid_rows === 0 || (data.error_rows > 0 && !acceptErrors)}
                  loading={commit.isPending}
                  onClick={async () => {
                    try {
                      const done = await commit.mutateAsync({ id: data.id, acceptErrors });
                      if (done.status !== 'committing') void message.success(t('imports.committed', { count: done.written_rows }));
                    } catch (e) {
                      showError(e);
                    }
                  }}
                >
                  {t('imports.commit', { count: data.valid_rows })}
                </Button>
              </Space>
            )}
            {data.errors.length > 0 && (
              <ProTable<RowError>
                rowKey={(r) => `${r.line}-${r.field}-${r.message}`}
                headerTitle={t('imports.errors')}
                search={false}
                options={false}
                size="small"
                pagination={{ pageSize: 20, showSizeChanger: false }}
                columns={columns}
                dataSource={data.errors}
              />
            )}
          </Card>
        )}
      </Space>
    </PageContainer>
  );
}

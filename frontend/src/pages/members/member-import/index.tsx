import { InboxOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Checkbox, Descriptions, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ImportReport } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ForbiddenResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { useMarkStep } from '../../billing/queries';
import { useImportMembers } from '../queries';

/** The import: pick a file, check it (a dry run reports every error), then commit the valid rows. */
export default function MemberImportPage() {
  const { t } = useTranslation('members');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const importer = useImportMembers();
  const markStep = useMarkStep();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [acceptErrors, setAcceptErrors] = useState(false);

  if (!can('members.write')) return <ForbiddenResult />;

  const run = async (commit: boolean) => {
    if (!file) return;
    try {
      const r = await importer.mutateAsync({ file, commit, acceptErrors });
      setReport(r);
      if (r.committed) void message.success(t('import.committed', { count: r.created }));
      // The onboarding step import_members is the console's to tick (the API derives it from nothing).
      if (r.committed && r.created > 0 && can('onboarding.write')) markStep.mutate({ step: 'import_members', done: true });
    } catch (e) {
      showError(e);
    }
  };

  return (
    <PageContainer title={t('import.title')} subTitle={t('import.subtitle')} onBack={() => navigate('/members/list')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small">
          <Typography.Paragraph type="secondary">{t('import.columns')}</Typography.Paragraph>
          <Upload.Dragger
            accept=".csv,.xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setReport(null);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setReport(null);
            }}
            fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('import.drop')}</p>
          </Upload.Dragger>
          <Space style={{ marginTop: 16 }}>
            <Button disabled={!file} loading={importer.isPending} onClick={() => void run(false)}>
              {t('import.check')}
            </Button>
            <Button type="primary" disabled={!file || !report || report.committed} loading={importer.isPending} onClick={() => void run(true)}>
              {t('import.commit')}
            </Button>
            <Checkbox checked={acceptErrors} onChange={(e) => setAcceptErrors(e.target.checked)}>
              {t('import.acceptErrors')}
            </Checkbox>
          </Space>
        </Card>
        {report && (
          <Card size="small" title={report.committed ? t('import.resultCommitted') : t('import.resultChecked')}>
            {report.errors.length > 0 && !report.committed && <Alert type="warning" showIcon message={t('import.hasErrors', { count: report.errors.length })} style={{ marginBottom: 12 }} />}
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 5 }}>
              <Descriptions.Item label={t('import.total')}>{report.total}</Descriptions.Item>
              <Descriptions.Item label={t('import.valid')}>{report.valid}</Descriptions.Item>
              <Descriptions.Item label={t('import.existing')}>{report.existing}</Descriptions.Item>
              <Descriptions.Item label={t('import.created')}>{report.created}</Descriptions.Item>
              <Descriptions.Item label={t('import.errors')}>{report.errors.length}</Descriptions.Item>
            </Descriptions>
            {report.existing_lines.length > 0 && (
              <Typography.Paragraph type="secondary">{t('import.existingLines', { lines: report.existing_lines.slice(0, 50).join(', ') })}</Typography.Paragraph>
            )}
            {report.errors.length > 0 && (
              <Table
                size="small"
                rowKey={(e) => `${e.line}-${e.field}`}
                dataSource={report.errors}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: t('import.line'), dataIndex: 'line', width: 80 },
                  { title: t('import.field'), dataIndex: 'field', width: 160 },
                  { title: t('import.message'), dataIndex: 'message' },
                ]}
              />
            )}
          </Card>
        )}
      </Space>
    </PageContainer>
  );
}

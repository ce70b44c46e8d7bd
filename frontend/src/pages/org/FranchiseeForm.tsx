import { ModalForm, ProFormText } from '@ant-design/pro-components';
import { Form } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Franchisee, FranchiseeInput } from '../../api/types';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';

const phonePattern = /^$|^(1[3-9]\d{9}|\+[1-9]\d{6,14})$/;

export interface FranchiseeFormProps {
  franchisee?: Franchisee;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSubmit: (input: FranchiseeInput) => Promise<void>;
}

/** FranchiseeForm adds or changes a franchisee. */
export function FranchiseeForm({ franchisee, open, onOpenChange, onSubmit }: FranchiseeFormProps) {
  const { t } = useTranslation('org');
  const [form] = Form.useForm<FranchiseeInput>();
  const showError = useShowError();
  return (
    <ModalForm<FranchiseeInput>
      title={franchisee ? t('franchisees.editTitle') : t('franchisees.createTitle')}
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      modalProps={{ destroyOnHidden: true }}
      submitter={formSubmitter(t)}
      width={520}
      layout="horizontal"
      labelCol={{ span: 6 }}
      initialValues={franchisee}
      onFinish={async (v) => {
        try {
          await onSubmit({
            name: v.name.trim(),
            legal_name: v.legal_name?.trim() ?? '',
            contact_name: v.contact_name?.trim() ?? '',
            contact_phone: v.contact_phone?.trim() ?? '',
            contact_email: v.contact_email?.trim() ?? '',
          });
          return true;
        } catch (e) {
          showError(e, form, { 'franchisees.name_taken': 'name' });
          return false;
        }
      }}
    >
      <ProFormText name="name" label={t('franchisees.name')} rules={[{ required: true }, { max: 200 }]} />
      <ProFormText name="legal_name" label={t('franchisees.legalName')} rules={[{ max: 200 }]} />
      <ProFormText name="contact_name" label={t('franchisees.contactName')} rules={[{ max: 100 }]} />
      <ProFormText name="contact_phone" label={t('franchisees.contactPhone')} rules={[{ pattern: phonePattern }]} />
      <ProFormText name="contact_email" label={t('franchisees.contactEmail')} rules={[{ type: 'email' }, { max: 254 }]} />
    </ModalForm>
  );
}

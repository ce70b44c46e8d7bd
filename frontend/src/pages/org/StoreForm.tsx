import { ModalForm, ProFormDatePicker, ProFormDependency, ProFormRadio, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { Form } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateStoreInput, Franchisee, Store } from '../../api/types';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';
import { startOfDayInZone } from '../../lib/time';

interface StoreFormValues {
  code: string;
  name: string;
  type: 'direct' | 'franchise';
  franchisee_id?: string;
  address?: string;
  phone?: string;
  time_zone: string;
  opened_at?: Dayjs;
}

export interface StoreFormProps {
  /** The store to edit; absent to open a new one. */
  store?: Store;
  /** The chain's time zone, the default for a new store. */
  chainTimeZone: string;
  franchisees: Franchisee[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Saves; a thrown ApiError's field errors show under the fields. */
  onSubmit: (input: CreateStoreInput) => Promise<void>;
}

const storeCodePattern = /^[A-Za-z0-9_-]{1,32}$/;

/** StoreForm opens or changes a store (the same fields; the opening date only when opening). */
export function StoreForm({ store, chainTimeZone, franchisees, open, onOpenChange, onSubmit }: StoreFormProps) {
  const { t } = useTranslation('org');
  const [form] = Form.useForm<StoreFormValues>();
  const showError = useShowError();
  const timeZones = useMemo(() => Intl.supportedValuesOf('timeZone').map((z) => ({ value: z, label: z })), []);

  const submit = async (v: StoreFormValues) => {
    const input: CreateStoreInput = {
      code: v.code.trim(),
      name: v.name.trim(),
      type: v.type,
      franchisee_id: v.type === 'franchise' ? (v.franchisee_id ?? null) : null,
      address: v.address?.trim() ?? '',
      phone: v.phone?.trim() ?? '',
      time_zone: v.time_zone,
      ...(store ? {} : { opened_at: v.opened_at ? startOfDayInZone(v.opened_at, v.time_zone) : null }),
    };
    try {
      await onSubmit(input);
      return true;
    } catch (e) {
      showError(e, form, { 'stores.code_taken': 'code' });
      return false;
    }
  };

  return (
    <ModalForm<StoreFormValues>
      title={store ? t('stores.editTitle') : t('stores.createTitle')}
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      modalProps={{ destroyOnHidden: true }}
      submitter={formSubmitter(t)}
      width={560}
      layout="horizontal"
      labelCol={{ span: 6 }}
      initialValues={
        store
          ? { ...store, franchisee_id: store.franchisee_id ?? undefined }
          : { type: 'direct', time_zone: chainTimeZone }
      }
      onFinish={submit}
    >
      <ProFormText
        name="code"
        label={t('stores.code')}
        placeholder="SH-001"
        rules={[{ required: true }, { pattern: storeCodePattern, message: t('stores.codeInvalid') }]}
      />
      <ProFormText name="name" label={t('stores.name')} rules={[{ required: true }, { max: 200 }]} />
      <ProFormRadio.Group
        name="type"
        label={t('stores.type')}
        radioType="button"
        options={[
          { value: 'direct', label: t('stores.types.direct') },
          { value: 'franchise', label: t('stores.types.franchise') },
        ]}
      />
      <ProFormDependency name={['type']}>
        {({ type }) =>
          type === 'franchise' && (
            <ProFormSelect
              name="franchisee_id"
              label={t('stores.franchisee')}
              showSearch
              rules={[{ required: true, message: t('stores.franchiseeRequired') }]}
              options={franchisees.filter((f) => f.status === 'active').map((f) => ({ value: f.id, label: f.name }))}
            />
          )
        }
      </ProFormDependency>
      <ProFormText name="address" label={t('stores.address')} rules={[{ max: 500 }]} />
      <ProFormText name="phone" label={t('stores.phone')} rules={[{ max: 40 }]} />
      <ProFormSelect name="time_zone" label={t('stores.timeZone')} showSearch allowClear={false} options={timeZones} rules={[{ required: true }]} />
      {!store && <ProFormDatePicker name="opened_at" label={t('stores.openedAt')} />}
    </ModalForm>
  );
}

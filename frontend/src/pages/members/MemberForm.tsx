import { ModalForm, ProFormDatePicker, ProFormDependency, ProFormRadio, ProFormSelect, ProFormSwitch, ProFormText } from '@ant-design/pro-components';
import { Form } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CreateMemberInput, Member, UpdateMemberInput } from '../../api/types';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';
import { dayjs } from '../../lib/time';

interface MemberFormValues {
  name?: string;
  phone: string;
  gender: 'male' | 'female' | 'unknown';
  birthday?: Dayjs | null;
  address?: string;
  marketing_consent: boolean;
  tags: string[];
  card_kind?: 'physical' | 'virtual';
  card_number?: string;
}

export interface MemberFormProps {
  /** The member to edit; absent to register one. */
  member?: Member;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreate?: (input: CreateMemberInput) => Promise<void>;
  onUpdate?: (input: UpdateMemberInput) => Promise<void>;
}

const codeFields = { 'members.phone_taken': 'phone', 'members.card_taken': 'card_number', 'members.invalid': 'phone' };

function valuesOf(m?: Member): MemberFormValues {
  if (!m) return { phone: '', gender: 'unknown', marketing_consent: false, tags: [], card_kind: 'virtual' };
  return {
    name: m.name,
    phone: m.phone,
    gender: m.gender,
    birthday: m.birthday ? dayjs(m.birthday) : null,
    address: m.address ?? '',
    marketing_consent: m.marketing_consent,
    tags: m.tags,
  };
}

/**
 * updateInput: only the fields that changed, so a member shown masked
 * (张*, 138****5678) never has the mask written back as the real value.
 */
export function updateInput(before: MemberFormValues, after: MemberFormValues): UpdateMemberInput {
  const out: UpdateMemberInput = {};
  const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);
  if ((after.name ?? '').trim() !== (before.name ?? '')) out.name = (after.name ?? '').trim();
  if (after.phone.trim() !== before.phone) out.phone = after.phone.trim();
  if (after.gender !== before.gender) out.gender = after.gender;
  if (day(after.birthday) !== day(before.birthday)) out.birthday = day(after.birthday) ?? '';
  if ((after.address ?? '').trim() !== (before.address ?? '')) out.address = (after.address ?? '').trim();
  if (after.marketing_consent !== before.marketing_consent) out.marketing_consent = after.marketing_consent;
  if (JSON.stringify(after.tags) !== JSON.stringify(before.tags)) out.tags = after.tags;
  return out;
}

/** MemberForm registers a member or changes a profile. */
export function MemberForm({ member, open, onOpenChange, onCreate, onUpdate }: MemberFormProps) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<MemberFormValues>();
  const showError = useShowError();
  const initial = valuesOf(member);

  const submit = async (v: MemberFormValues) => {
    try {
      if (member) {
        await onUpdate?.(updateInput(initial, v));
      } else {
        await onCreate?.({
          phone: v.phone.trim(),
          ...(v.name?.trim() ? { name: v.name.trim() } : {}),
          gender: v.gender,
          ...(v.birthday ? { birthday: v.birthday.format('YYYY-MM-DD') } : {}),
          ...(v.address?.trim() ? { address: v.address.trim() } : {}),
          marketing_consent: v.marketing_consent,
          tags: v.tags,
          card_kind: v.card_kind ?? 'virtual',
          ...(v.card_kind === 'physical' && v.card_number?.trim() ? { card_number: v.card_number.trim() } : {}),
        });
      }
      return true;
    } catch (e) {
      showError(e, form, codeFields);
      return false;
    }
  };

  return (
    <ModalForm<MemberFormValues>
      // Named, so its field ids (member_phone …) differ from the list's search form (phone …).
      name="member"
      title={member ? t('form.editTitle') : t('form.createTitle')}
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      modalProps={{ destroyOnHidden: true }}
      submitter={formSubmitter(t)}
      width={560}
      layout="horizontal"
      labelCol={{ span: 6 }}
      initialValues={initial}
      onFinish={submit}
    >
      <ProFormText name="phone" label={t('fields.phone')} rules={[{ required: true }, { max: 24 }]} />
      <ProFormText name="name" label={t('fields.name')} rules={[{ max: 50 }]} />
      <ProFormRadio.Group
        name="gender"
        label={t('fields.gender')}
        radioType="button"
        options={(['male', 'female', 'unknown'] as const).map((g) => ({ value: g, label: t(`genders.${g}`) }))}
      />
      <ProFormDatePicker name="birthday" label={t('fields.birthday')} />
      <ProFormText name="address" label={t('fields.address')} rules={[{ max: 200 }]} />
      <ProFormSelect name="tags" label={t('fields.tags')} mode="tags" fieldProps={{ maxCount: 20, tokenSeparators: [',', '，', ';'] }} />
      <ProFormSwitch name="marketing_consent" label={t('fields.marketingConsent')} />
      {!member && (
        <>
          <ProFormRadio.Group
            name="card_kind"
            label={t('fields.cardKind')}
            radioType="button"
            options={(['virtual', 'physical'] as const).map((k) => ({ value: k, label: t(`cardKinds.${k}`) }))}
          />
          <ProFormDependency name={['card_kind']}>
            {({ card_kind }) =>
              card_kind === 'physical' && (
                <ProFormText name="card_number" label={t('fields.cardNumber')} rules={[{ required: true }, { min: 6, max: 32 }]} />
              )
            }
          </ProFormDependency>
        </>
      )}
    </ModalForm>
  );
}

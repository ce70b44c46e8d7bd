import {
  DrawerForm,
  ProFormCheckbox,
  ProFormDateTimePicker,
  ProFormDependency,
  ProFormDigit,
  ProFormGroup,
  ProFormList,
  ProFormRadio,
  ProFormSelect,
  ProFormSwitch,
  ProFormText,
} from '@ant-design/pro-components';
import { App, Divider, Form, Select, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from '../../api/form-errors';
import { asApiError } from '../../api/problem';
import type { Promotion, PromotionInput, PromotionKind, PromotionUpdate } from '../../api/types';
import { describeError } from '../../components/describe-error';
import { MoneyParseError } from '../../lib/money';
import {
  formFieldOf,
  hasField,
  moneyRule,
  newFormValues,
  percentRule,
  promotionKinds,
  quantityRule,
  toFormValues,
  toPromotionInput,
  toPromotionUpdate,
  zhe,
  type PromotionFormValues,
} from './rule-form';

export interface Option {
  value: string;
  label: string;
}

export interface PromotionPickers {
  stores: Option[];
  categories: Option[];
  brands: Option[];
  tiers: Option[];
  /** searchSkus: SKUs by name or code for the SKU pickers. */
  searchSkus: (q: string) => Promise<Option[]>;
  /** nameSkus: the labels of SKUs a stored promotion already holds (by id). */
  nameSkus: (ids: string[]) => Promise<Option[]>;
}

/** SkuSelect: a multiple select of SKUs searched on the server, keeping the labels it has seen and naming the ones it was given. */
function SkuSelect({
  value,
  onChange,
  search,
  name,
  id,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  search: PromotionPickers['searchSkus'];
  name: PromotionPickers['nameSkus'];
  id?: string;
}) {
  const { t } = useTranslation('promotions');
  const [options, setOptions] = useState<Option[]>([]);
  const seen = useRef(new Map<string, string>());
  const asked = useRef(new Set<string>());
  const [, setNamed] = useState(0);
  // A stored promotion's SKUs arrive as ids: ask for their names once (an id not found stays an id).
  const unnamed = (value ?? []).filter((v) => !seen.current.has(v) && !asked.current.has(v)).join(',');
  useEffect(() => {
    if (!unnamed) return;
    const ids = unnamed.split(',');
    ids.forEach((v) => asked.current.add(v));
    // Kept even if the value has moved on meanwhile: a name learnt is a name learnt.
    name(ids)
      .then((found) => {
        found.forEach((o) => seen.current.set(o.value, o.label));
        setNamed((n) => n + 1);
      })
      .catch(() => undefined); // only labels: a failed look-up leaves the ids showing, as before
  }, [unnamed, name]);
  const merged = [...options, ...(value ?? []).filter((v) => !options.some((o) => o.value === v)).map((v) => ({ value: v, label: seen.current.get(v) ?? v }))];
  return (
    <Select
      id={id}
      mode="multiple"
      value={value}
      onChange={onChange}
      showSearch
      filterOption={false}
      placeholder={t('form.skuSearch')}
      options={merged}
      onSearch={async (q) => {
        const found = q.trim() ? await search(q.trim()) : [];
        found.forEach((o) => seen.current.set(o.value, o.label));
        setOptions(found);
      }}
      notFoundContent={t('form.skuNone')}
    />
  );
}

export interface PromotionFormProps {
  /** The promotion to edit; absent to create one. */
  promotion?: Promotion;
  /** The caller is HQ (chain-wide): may force a promotion on franchise stores. */
  hq: boolean;
  pickers: PromotionPickers;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreate?: (input: PromotionInput) => Promise<void>;
  onUpdate?: (input: PromotionUpdate) => Promise<void>;
}

const weekdays = [1, 2, 3, 4, 5, 6, 0];

/** PromotionForm creates or edits a promotion: the fields of its kind, then where, what, who, when, limits and stacking. */
export function PromotionForm({ promotion, hq, pickers, open, onOpenChange, onCreate, onUpdate }: PromotionFormProps) {
  const { t } = useTranslation('promotions');
  const { message } = App.useApp();
  const [form] = Form.useForm<PromotionFormValues>();
  const yuan = { prefix: '¥', inputMode: 'decimal' as const };
  const percent = { suffix: '%', inputMode: 'decimal' as const };

  const submit = async (v: PromotionFormValues) => {
    try {
      if (promotion) await onUpdate?.(toPromotionUpdate(v, hq));
      else await onCreate?.(toPromotionInput(v, hq));
      return true;
    } catch (e) {
      if (e instanceof MoneyParseError || e instanceof RangeError) {
        void message.error(String(e.message));
        return false;
      }
      const error = asApiError(e);
      const rename = Object.fromEntries(
        error.errors.flatMap((f) => {
          const name = formFieldOf(f.field, v.kind);
          return name ? [[f.field, name]] : [];
        }),
      );
      const rest = applyFieldErrors(form, error, rename);
      const extra = rest.map((f) => `${f.field} ${f.message}`).join('；');
      void message.error(extra ? `${describeError(t, error)}（${extra}）` : describeError(t, error));
      return false;
    }
  };

  return (
    <DrawerForm<PromotionFormValues>
      title={promotion ? t('form.editTitle') : t('form.createTitle')}
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      drawerProps={{ destroyOnHidden: true, width: 760 }}
      submitter={{ searchConfig: { submitText: t('common:actions.save'), resetText: t('common:actions.cancel') } }}
      layout="horizontal"
      labelCol={{ span: 6 }}
      wrapperCol={{ span: 17 }}
      initialValues={promotion ? toFormValues(promotion) : newFormValues()}
      onFinish={submit}
      scrollToFirstError
    >
      <ProFormText name="name" label={t('form.name')} rules={[{ required: true }, { max: 100 }]} />
      <ProFormText name="name_en" label={t('form.nameEn')} rules={[{ max: 100 }]} />
      <ProFormSelect
        name="kind"
        label={t('form.kind')}
        allowClear={false}
        disabled={!!promotion}
        options={promotionKinds.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
        extra={
          <ProFormDependency name={['kind']}>{({ kind }) => <Typography.Text type="secondary">{t(`kindHints.${kind as PromotionKind}`)}</Typography.Text>}</ProFormDependency>
        }
      />

      <Divider orientation="left">{t('form.rule')}</Divider>
      <ProFormDependency name={['kind', 'off_percent']}>
        {({ kind, off_percent }) => {
          const k = kind as PromotionKind;
          return (
            <>
              {(k === 'spend_amount_off' || k === 'spend_percent_off') && (
                <ProFormList
                  name="steps"
                  label={t('form.steps')}
                  min={1}
                  max={20}
                  creatorButtonProps={{ creatorButtonText: t('form.addStep') }}
                  copyIconProps={false}
                  alwaysShowItemLabel
                  rules={[{ validator: async (_, steps?: unknown[]) => (steps && steps.length > 0 ? undefined : Promise.reject(new Error(t('form.stepsRequired')))) }]}
                >
                  <ProFormGroup>
                    <ProFormText
                      name="threshold"
                      label={t('form.threshold')}
                      width="xs"
                      fieldProps={yuan}
                      rules={[{ required: true, message: t('form.required') }, moneyRule(t)]}
                    />
                    {k === 'spend_amount_off' ? (
                      <ProFormText name="off" label={t('form.stepOff')} width="xs" fieldProps={yuan} rules={[{ required: true, message: t('form.required') }, moneyRule(t)]} />
                    ) : (
                      <ProFormText name="off_percent" label={t('form.stepOffPercent')} width="xs" fieldProps={percent} rules={[{ required: true, message: t('form.required') }, percentRule(t)]} />
                    )}
                  </ProFormGroup>
                </ProFormList>
              )}
              {k === 'spend_amount_off' && <ProFormSwitch name="repeat" label={t('form.repeat')} extra={t('form.repeatHint')} />}
              {hasField(k, 'off_bp') && (
                <ProFormText
                  name="off_percent"
                  label={t('form.offPercent')}
                  fieldProps={percent}
                  rules={[{ required: true, message: t('form.required') }, percentRule(t)]}
                  extra={zhe(off_percent as string) && t('form.zhe', { zhe: zhe(off_percent as string) })}
                />
              )}
              {hasField(k, 'amount') && <ProFormText name="amount" label={t('form.amount')} fieldProps={yuan} rules={[{ required: true, message: t('form.required') }, moneyRule(t)]} />}
              {hasField(k, 'n') && (
                <ProFormDigit name="n" label={k === 'nth_item' ? t('form.nthN') : t('form.buyN')} min={1} max={1000} fieldProps={{ precision: 0 }} rules={[{ required: true, message: t('form.required') }]} />
              )}
              {hasField(k, 'm') && <ProFormDigit name="m" label={t('form.getM')} min={1} max={1000} fieldProps={{ precision: 0 }} rules={[{ required: true, message: t('form.required') }]} />}
              {hasField(k, 'same_sku') && <ProFormSwitch name="same_sku" label={t('form.sameSku')} />}
              {k === 'bundle' && (
                <ProFormList
                  name="components"
                  label={t('form.components')}
                  min={1}
                  max={20}
                  creatorButtonProps={{ creatorButtonText: t('form.addComponent') }}
                  copyIconProps={false}
                  alwaysShowItemLabel
                >
                  <ProFormGroup>
                    <Form.Item name="skus" label={t('form.componentSkus')} rules={[{ required: true, message: t('form.required') }]} style={{ minWidth: 280 }}>
                      <SkuSelect search={pickers.searchSkus} name={pickers.nameSkus} />
                    </Form.Item>
                    <ProFormDigit name="units" label={t('form.units')} width="xs" min={1} max={1000} fieldProps={{ precision: 0 }} />
                  </ProFormGroup>
                </ProFormList>
              )}
              {hasField(k, 'price') && (
                <ProFormText
                  name="price"
                  label={k === 'bundle' ? t('form.bundlePrice') : t('form.specialPrice')}
                  fieldProps={yuan}
                  rules={[{ required: true, message: t('form.required') }, moneyRule(t)]}
                />
              )}
              {hasField(k, 'max_off') && <ProFormText name="max_off" label={t('form.maxOff')} fieldProps={yuan} rules={[moneyRule(t)]} extra={t('form.optional')} />}
              {hasField(k, 'limit_qty') && <ProFormText name="limit_qty" label={t('form.limitQty')} rules={[quantityRule(t)]} extra={t('form.optional')} />}
              {hasField(k, 'limit_sets') && <ProFormDigit name="limit_sets" label={t('form.limitSets')} min={0} fieldProps={{ precision: 0 }} extra={t('form.optional')} />}
              {k === 'member_price' && <Typography.Paragraph type="secondary">{t('form.memberPriceHint')}</Typography.Paragraph>}
            </>
          );
        }}
      </ProFormDependency>

      <Divider orientation="left">{t('form.where')}</Divider>
      <ProFormRadio.Group
        name="store_scope"
        label={t('form.storeScope')}
        radioType="button"
        options={(['all', 'direct', 'franchise', 'list'] as const).map((s) => ({ value: s, label: t(`scopes.${s}`) }))}
      />
      <ProFormDependency name={['store_scope']}>
        {({ store_scope }) =>
          store_scope === 'list' && (
            <ProFormSelect
              name="store_ids"
              label={t('form.stores')}
              mode="multiple"
              showSearch
              options={pickers.stores}
              rules={[{ required: true, message: t('form.required') }]}
            />
          )
        }
      </ProFormDependency>

      <Divider orientation="left">{t('form.what')}</Divider>
      <Typography.Paragraph type="secondary">{t('form.itemsHint')}</Typography.Paragraph>
      <ProFormSelect name="categories" label={t('form.categories')} mode="multiple" showSearch options={pickers.categories} />
      <ProFormSelect name="brands" label={t('form.brands')} mode="multiple" showSearch options={pickers.brands} />
      <Form.Item name="skus" label={t('form.skus')}>
        <SkuSelect search={pickers.searchSkus} name={pickers.nameSkus} />
      </Form.Item>
      <ProFormSelect name="exclude_categories" label={t('form.excludeCategories')} mode="multiple" showSearch options={pickers.categories} />
      <ProFormSelect name="exclude_brands" label={t('form.excludeBrands')} mode="multiple" showSearch options={pickers.brands} />
      <Form.Item name="exclude_skus" label={t('form.excludeSkus')}>
        <SkuSelect search={pickers.searchSkus} name={pickers.nameSkus} />
      </Form.Item>

      <Divider orientation="left">{t('form.who')}</Divider>
      <ProFormSwitch name="members_only" label={t('form.membersOnly')} />
      <ProFormSelect name="tiers" label={t('form.tiers')} mode="multiple" options={pickers.tiers} extra={t('form.tiersHint')} />

      <Divider orientation="left">{t('form.when')}</Divider>
      <ProFormDateTimePicker name="starts" label={t('form.starts')} fieldProps={{ format: 'YYYY-MM-DD HH:mm' }} />
      <ProFormDateTimePicker name="ends" label={t('form.ends')} fieldProps={{ format: 'YYYY-MM-DD HH:mm' }} extra={t('form.endsHint')} />
      <ProFormCheckbox.Group name="weekdays" label={t('form.weekdays')} options={weekdays.map((d) => ({ value: d, label: t(`weekdays.${d}`) }))} extra={t('form.weekdaysHint')} />
      <ProFormList name="times" label={t('form.times')} max={24} creatorButtonProps={{ creatorButtonText: t('form.addTime') }} copyIconProps={false}>
        <ProFormGroup>
          <ProFormText name="from" width="xs" placeholder="09:00" rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t('form.timeInvalid') }]} />
          <ProFormText name="to" width="xs" placeholder="22:00" rules={[{ required: true, pattern: /^([01]\d|2[0-4]):[0-5]\d$/, message: t('form.timeInvalid') }]} />
        </ProFormGroup>
      </ProFormList>

      <Divider orientation="left">{t('form.limits')}</Divider>
      <ProFormText name="budget" label={t('form.budget')} fieldProps={yuan} rules={[moneyRule(t)]} extra={t('form.budgetHint')} />
      <ProFormDigit name="per_member_limit" label={t('form.perMemberLimit')} min={1} max={100000} fieldProps={{ precision: 0 }} extra={t('form.optional')} />
      <ProFormSwitch name="exclusive" label={t('form.exclusive')} />
      <ProFormDigit name="priority" label={t('form.priority')} min={-1000} max={1000} fieldProps={{ precision: 0 }} extra={t('form.priorityHint')} />
      <ProFormText name="group" label={t('form.group')} rules={[{ max: 40 }]} extra={t('form.groupHint')} />
      {hq && <ProFormSwitch name="forced" label={t('form.forced')} extra={t('form.forcedHint')} />}
    </DrawerForm>
  );
}

import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Franchisee, Role, Store } from '../../api/types';
import { roleLabel } from '../authz/role-label';

export interface AssignmentsFieldProps {
  roles: Role[];
  stores: Store[];
  franchisees: Franchisee[];
}

/**
 * AssignmentsField edits the list `assignments` of a form: a role each,
 * and where it is held — a store for store roles, a franchisee for
 * franchise roles, nothing for chain roles (the API's rule).
 */
export function AssignmentsField({ roles, stores, franchisees }: AssignmentsFieldProps) {
  const { t } = useTranslation('users');
  const scopeOf = new Map(roles.map((r) => [r.key, r.scope]));
  const assignable = roles.filter((r) => r.key !== 'platform_admin' && r.key !== 'vendor');
  return (
    <Form.List name="assignments">
      {(fields, { add, remove }) => (
        <>
          {fields.map((field) => (
            <Space key={field.key} align="baseline" wrap>
              <Form.Item name={[field.name, 'role']} rules={[{ required: true, message: t('assign.roleRequired') }]}>
                <Select
                  style={{ width: 180 }}
                  placeholder={t('assign.role')}
                  aria-label={t('assign.role')}
                  options={assignable.map((r) => ({ value: r.key, label: roleLabel(t, r) }))}
                />
              </Form.Item>
              <Form.Item noStyle dependencies={[['assignments', field.name, 'role']]}>
                {({ getFieldValue }) => {
                  const scope = scopeOf.get(getFieldValue(['assignments', field.name, 'role']) as string);
                  if (scope === 'store')
                    return (
                      <Form.Item name={[field.name, 'store_id']} rules={[{ required: true, message: t('assign.storeRequired') }]}>
                        <Select
                          style={{ width: 200 }}
                          showSearch
                          optionFilterProp="label"
                          placeholder={t('assign.store')}
                          options={stores.map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))}
                        />
                      </Form.Item>
                    );
                  if (scope === 'franchise')
                    return (
                      <Form.Item name={[field.name, 'franchisee_id']} rules={[{ required: true, message: t('assign.franchiseeRequired') }]}>
                        <Select
                          style={{ width: 200 }}
                          showSearch
                          optionFilterProp="label"
                          placeholder={t('assign.franchisee')}
                          options={franchisees.map((f) => ({ value: f.id, label: f.name }))}
                        />
                      </Form.Item>
                    );
                  return scope === 'chain' ? <span style={{ color: 'rgba(0,0,0,.45)' }}>{t('assign.wholeChain')}</span> : null;
                }}
              </Form.Item>
              <MinusCircleOutlined aria-label={t('assign.remove')} onClick={() => remove(field.name)} />
            </Space>
          ))}
          <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} block>
            {t('assign.add')}
          </Button>
        </>
      )}
    </Form.List>
  );
}

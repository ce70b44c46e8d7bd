import { Checkbox, Table, Tooltip } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PermissionInfo } from '../../api/types';

export interface PermissionMatrixProps {
  permissions: PermissionInfo[];
  value?: string[];
  onChange?: (value: string[]) => void;
  /** Permissions the editor may grant (their own); the rest are shown but locked. */
  grantable?: ReadonlySet<string>;
  disabled?: boolean;
}

interface Row {
  object: string;
  actions: Map<string, PermissionInfo>;
}

/** matrixOf lays "object:action" permissions out as rows of objects and columns of actions, in catalogue order. */
export function matrixOf(permissions: PermissionInfo[]): { rows: Row[]; actions: string[] } {
  const rows = new Map<string, Row>();
  const actions: string[] = [];
  for (const p of permissions) {
    const [object = p.key, action = ''] = p.key.split(':');
    if (!actions.includes(action)) actions.push(action);
    const row = rows.get(object) ?? { object, actions: new Map() };
    row.actions.set(action, p);
    rows.set(object, row);
  }
  return { rows: [...rows.values()], actions };
}

/**
 * PermissionMatrix picks a role's permissions: one row per object
 * (stores, members ...), one column per action (read, write ...). As a
 * form control it takes value/onChange like any antd input.
 */
export function PermissionMatrix({ permissions, value = [], onChange, grantable, disabled }: PermissionMatrixProps) {
  const { t } = useTranslation('authz');
  const { rows, actions } = useMemo(() => matrixOf(permissions), [permissions]);
  const chosen = new Set(value);
  const toggle = (key: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    onChange?.(permissions.map((p) => p.key).filter((k) => next.has(k)));
  };

  return (
    <Table<Row>
      size="small"
      rowKey="object"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={rows}
      columns={[
        { title: t('matrix.object'), dataIndex: 'object', fixed: 'left', render: (o: string) => t(`objects.${o}`, { defaultValue: o }) },
        ...actions.map((action) => ({
          title: t(`actionNames.${action}`, { defaultValue: action }),
          key: action,
          align: 'center' as const,
          render: (_: unknown, row: Row) => {
            const p = row.actions.get(action);
            if (!p) return null;
            const locked = disabled || (grantable !== undefined && !grantable.has(p.key) && !chosen.has(p.key));
            return (
              <Tooltip title={t(`permissions.${p.key.replace(':', '_')}`, { defaultValue: p.description })}>
                <Checkbox
                  aria-label={p.key}
                  checked={chosen.has(p.key)}
                  disabled={locked}
                  onChange={(e) => toggle(p.key, e.target.checked)}
                />
              </Tooltip>
            );
          },
        })),
      ]}
    />
  );
}

import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormDigit, ProFormText, ProFormTreeSelect } from '@ant-design/pro-components';
import { App, Button, Card, Empty, Form, Popconfirm, Space, Spin, Tree, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { CategoryNode } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { useShowError } from '../../../components/useShowError';
import { categoryTreeData } from '../ProductForm';
import { flattenTree, useCategoryTree, useCreateCategory, useDeleteCategory, useUpdateCategory } from '../queries';

interface CategoryFormValues {
  code: string;
  name: string;
  sort_order?: number;
  parent_id?: string;
}

type Editing = { mode: 'create'; parent?: CategoryNode } | { mode: 'edit'; node: CategoryNode };

/** descendants: the node's own id and every id under it (a move there is refused). */
function descendants(node: CategoryNode): Set<string> {
  return new Set(flattenTree([node]).map((c) => c.id));
}

const ROOT = '__root__';

interface ParentOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: ParentOption[];
}

interface TreeNode {
  key: string;
  title: ReactNode;
  children: TreeNode[];
}

export default function CategoriesPage() {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const tree = useCategoryTree();
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const remove = useDeleteCategory();
  const idempotency = useIdempotencyKey();
  const [editing, setEditing] = useState<Editing>();
  const [form] = Form.useForm<CategoryFormValues>();
  const write = can('catalog.write');

  if (tree.error) return <ErrorResult error={tree.error} onRetry={() => void tree.refetch()} />;

  const excluded = editing?.mode === 'edit' ? descendants(editing.node) : new Set<string>();
  const parentOptions = [
    { value: ROOT, title: t('categories.root'), children: [] },
    ...categoryTreeData(tree.data ?? []).map(function strip(o): ParentOption {
      return { ...o, disabled: excluded.has(o.value), children: o.children.map(strip) };
    }),
  ];

  const submit = async (v: CategoryFormValues) => {
    const parent = v.parent_id && v.parent_id !== ROOT ? v.parent_id : null;
    try {
      if (editing?.mode === 'edit') {
        const moved = parent !== editing.node.parent_id;
        await update.mutateAsync({
          id: editing.node.id,
          body: {
            code: v.code.trim(),
            name: v.name.trim(),
            sort_order: v.sort_order ?? 0,
            ...(moved ? (parent ? { parent_id: parent } : { move_to_root: true }) : {}),
          },
        });
        void message.success(moved ? t('categories.moved') : t('common:state.saved'));
      } else {
        await create.mutateAsync({
          idempotencyKey: idempotency.key(),
          body: { code: v.code.trim(), name: v.name.trim(), sort_order: v.sort_order ?? 0, parent_id: parent },
        });
        idempotency.rotate();
        void message.success(t('common:state.created'));
      }
      return true;
    } catch (e) {
      showError(e, form, { 'categories.code_taken': 'code', 'catalog.invalid': 'parent_id' });
      return false;
    }
  };

  const toTree = (nodes: CategoryNode[]): TreeNode[] =>
    nodes.map((n) => ({
      key: n.id,
      title: (
        <Space size="small">
          <span>
            {n.name} <Typography.Text type="secondary">{n.code}</Typography.Text>
          </span>
          {write && (
            <>
              <Button size="small" type="text" icon={<PlusOutlined />} aria-label={t('categories.addChild')} title={t('categories.addChild')} onClick={() => setEditing({ mode: 'create', parent: n })} />
              <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('categories.edit')} title={t('categories.edit')} onClick={() => setEditing({ mode: 'edit', node: n })} />
              <Popconfirm
                title={t('categories.deleteConfirm', { name: n.name })}
                onConfirm={async () => {
                  try {
                    await remove.mutateAsync(n.id);
                    void message.success(t('categories.deleted'));
                  } catch (e) {
                    showError(e);
                  }
                }}
              >
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common:actions.delete')} title={t('common:actions.delete')} />
              </Popconfirm>
            </>
          )}
        </Space>
      ),
      children: toTree(n.children),
    }));

  return (
    <PageContainer
      title={t('categories.title')}
      subTitle={t('categories.subtitle')}
      extra={
        write && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
            {t('categories.create')}
          </Button>
        )
      }
    >
      <Card>
        {!tree.data ? (
          <Spin />
        ) : tree.data.length === 0 ? (
          <Empty description={t('categories.empty')} />
        ) : (
          <Tree blockNode selectable={false} defaultExpandAll treeData={toTree(tree.data)} />
        )}
      </Card>
      <ModalForm<CategoryFormValues>
        key={editing?.mode === 'edit' ? editing.node.id : `new-${editing?.parent?.id ?? ''}`}
        title={editing?.mode === 'edit' ? t('categories.edit') : t('categories.create')}
        name="category"
        form={form}
        open={!!editing}
        onOpenChange={(open) => !open && setEditing(undefined)}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={520}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={
          editing?.mode === 'edit'
            ? { code: editing.node.code, name: editing.node.name, sort_order: editing.node.sort_order, parent_id: editing.node.parent_id ?? ROOT }
            : { sort_order: 0, parent_id: editing?.parent?.id ?? ROOT }
        }
        onFinish={submit}
      >
        <ProFormText name="code" label={t('categories.code')} rules={[{ required: true }, { pattern: /^[A-Za-z0-9_.-]{1,32}$/, message: t('categories.codeInvalid') }]} />
        <ProFormText name="name" label={t('categories.name')} rules={[{ required: true }, { max: 100 }]} />
        <ProFormTreeSelect
          name="parent_id"
          label={t('categories.parent')}
          extra={editing?.mode === 'edit' ? t('categories.moveHint') : undefined}
          fieldProps={{ treeData: parentOptions, treeDefaultExpandAll: true, showSearch: true, treeNodeFilterProp: 'title' }}
        />
        <ProFormDigit name="sort_order" label={t('categories.sortOrder')} fieldProps={{ precision: 0 }} />
      </ModalForm>
    </PageContainer>
  );
}

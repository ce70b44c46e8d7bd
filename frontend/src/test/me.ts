import type { Me } from '../api/types';

// /me payloads for the built-in roles, with the permissions the API
// derives from tenant/authz's templates (inherited ones included).

const cashier = ['stores:read', 'catalog:read', 'inventory:read', 'members:read', 'members:write', 'pos:sell', 'promotions:read'];
const storeManager = [
  ...cashier,
  ...['users:read', 'users:write', 'roles:read', 'inventory:write', 'stocktake:approve', 'transfers:approve', 'members:pii'],
  ...['pos:refund', 'pos:void', 'pos:price_override', 'shifts:manage', 'purchasing:read', 'finance:read', 'reports:read'],
];
const franchisee = [...storeManager, 'prices:write', 'purchasing:write', 'promotions:write'];
const hqAdmin = [
  ...franchisee,
  ...['stores:write', 'franchisees:read', 'franchisees:write', 'roles:write', 'audit:read', 'settings:write', 'catalog:write'],
  ...['finance:write', 'finance:approve', 'billing:read', 'billing:write', 'members:export', 'promotions:write', 'crm:read', 'crm:write'],
];

const SH001 = '0190f5a4-0000-7000-8000-000000000001';
const HZ001 = '0190f5a4-0000-7000-8000-000000000002';
const HZ002 = '0190f5a4-0000-7000-8000-000000000003';

export function meFor(role: 'hq_admin' | 'store_manager' | 'franchisee' | 'cashier', billing: Partial<Me['billing']> = {}): Me {
  const byRole = {
    hq_admin: { permissions: hqAdmin, chain_wide: true, stores: [] },
    store_manager: { permissions: storeManager, chain_wide: false, stores: [SH001] },
    franchisee: { permissions: franchisee, chain_wide: false, stores: [HZ001, HZ002] },
    cashier: { permissions: cashier, chain_wide: false, stores: [SH001] },
  }[role];
  return {
    user: {
      id: '0190f5a4-0000-7000-8000-0000000000aa',
      name: '测试用户',
      email: `${role}@demo.chainstore.test`,
      phone: null,
      status: 'active',
      franchisee_id: null,
      last_login_at: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    },
    tenant: {
      id: '0190f5a4-0000-7000-8000-0000000000bb',
      name: '示范连锁',
      slug: 'demo',
      kind: 'supermarket',
      status: 'active',
      currency: 'CNY',
      time_zone: 'Asia/Shanghai',
      created_at: '2026-01-01T00:00:00Z',
    },
    roles: [role],
    stores: byRole.stores,
    chain_wide: byRole.chain_wide,
    permissions: [...new Set(byRole.permissions)].sort(),
    billing: {
      status: 'active',
      read_only: false,
      past_due: false,
      banner: '',
      access: 'full',
      plan: 'growth',
      trial_ends_at: null,
      grace_ends_at: null,
      ...billing,
    },
  };
}

import type { Me } from '../api/types';

// What the signed-in user may see and do, computed once from GET /me.
// Each access key is one rule; the route table (routes.tsx) names a key
// per page and buttons ask useAccess()/<Access>. The API decides in the
// end: these rules only keep the console from offering what would be
// refused.
//
// /me lists the permissions held chain-wide or in at least one store, and
// whether any role is chain-wide. Operations the API allows only
// chain-wide (creating stores, custom roles, billing ...) therefore ask
// for both. A chain that is read-only (trial over, unpaid) refuses every
// write but billing's, so write keys are off then too.

const holds = (me: Me, permission: string) => me.permissions.includes(permission);
const chainWide = (me: Me, permission: string) => me.chain_wide && holds(me, permission);
const writable = (me: Me) => !me.billing.read_only;

export const accessRules = {
  'stores.read': (me: Me) => holds(me, 'stores:read'),
  'stores.create': (me: Me) => writable(me) && chainWide(me, 'stores:write'),
  'stores.update': (me: Me) => writable(me) && holds(me, 'stores:write'),
  'franchisees.read': (me: Me) => chainWide(me, 'franchisees:read'),
  'franchisees.write': (me: Me) => writable(me) && chainWide(me, 'franchisees:write'),
  'users.read': (me: Me) => holds(me, 'users:read'),
  'users.write': (me: Me) => writable(me) && holds(me, 'users:write'),
  'roles.read': (me: Me) => holds(me, 'roles:read'),
  'roles.write': (me: Me) => writable(me) && chainWide(me, 'roles:write'),
  'audit.read': (me: Me) => chainWide(me, 'audit:read'),
  'billing.read': (me: Me) => chainWide(me, 'billing:read'),
  'billing.write': (me: Me) => chainWide(me, 'billing:write'),
  // The chain profile: HQ reads it, settings:write changes it.
  'tenant.read': (me: Me) => me.chain_wide,
  'tenant.write': (me: Me) => writable(me) && chainWide(me, 'settings:write'),
  'onboarding.write': (me: Me) => writable(me) && chainWide(me, 'settings:write'),
  // catalog: HQ keeps the catalog (chain-wide catalog:write); every role reads it in its stores.
  'catalog.read': (me: Me) => holds(me, 'catalog:read'),
  'catalog.write': (me: Me) => writable(me) && chainWide(me, 'catalog:write'),
  'catalog.export': (me: Me) => chainWide(me, 'catalog:read'),
  'prices.write': (me: Me) => writable(me) && chainWide(me, 'prices:write'),
  // A store's own prices (franchisees within HQ's bounds): prices:write in some store.
  'prices.store': (me: Me) => writable(me) && holds(me, 'prices:write'),
  // Promotion prices on shelf labels: whoever may see the promotions that price a store's tills.
  'promotions.prices': (me: Me) => holds(me, 'promotions:read'),
  // inventory: per store; the API checks the store.
  'inventory.read': (me: Me) => holds(me, 'inventory:read'),
  'inventory.write': (me: Me) => writable(me) && holds(me, 'inventory:write'),
  'stocktake.approve': (me: Me) => writable(me) && holds(me, 'stocktake:approve'),
  'transfers.approve': (me: Me) => writable(me) && holds(me, 'transfers:approve'),
  'reports.read': (me: Me) => holds(me, 'reports:read'),
  'inventorySettings.write': (me: Me) => writable(me) && chainWide(me, 'settings:write'),
  // Members: the console's member pages are HQ's (the API lists and changes members chain-wide only;
  // the tills look members up per store). Exports stay open while the chain is read-only.
  'members.read': (me: Me) => chainWide(me, 'members:read'),
  'members.write': (me: Me) => writable(me) && chainWide(me, 'members:write'),
  'members.pii': (me: Me) => chainWide(me, 'members:pii'),
  'members.export': (me: Me) => chainWide(me, 'members:export') && chainWide(me, 'members:pii'),
  'members.exportOne': (me: Me) => chainWide(me, 'members:export'),
  'members.erase': (me: Me) => writable(me) && chainWide(me, 'members:pii'),
  // 退卡 at HQ pays money back, as at a till: pos:refund too, chain-wide.
  'members.cashOut': (me: Me) => writable(me) && chainWide(me, 'members:write') && chainWide(me, 'pos:refund'),
  // Finance: statements for whoever holds finance:read somewhere (a store's figures); manual entries
  // and rules chain-wide; approvals need finance:approve chain-wide.
  'finance.read': (me: Me) => holds(me, 'finance:read'),
  // Whole books (journal, periods, chart, settlements): HQ's finance, or a franchisee's own users.
  'finance.books': (me: Me) => chainWide(me, 'finance:read') || (holds(me, 'finance:read') && me.user.franchisee_id !== null),
  'finance.readChain': (me: Me) => chainWide(me, 'finance:read'),
  'finance.write': (me: Me) => writable(me) && chainWide(me, 'finance:write'),
  'finance.approve': (me: Me) => writable(me) && chainWide(me, 'finance:approve'),
  // The till keeps selling while the chain is read-only (the API lets sales through).
  'pos.sell': (me: Me) => holds(me, 'pos:sell'),
  'pos.registers': (me: Me) => writable(me) && holds(me, 'shifts:manage'),
  'pos.refund': (me: Me) => holds(me, 'pos:refund'),
  'pos.void': (me: Me) => holds(me, 'pos:void'),
  // The dashboard: the API scopes it to the stores where reports:read is held.
  'dashboard.read': (me: Me) => holds(me, 'reports:read'),
  // Promotions: cashiers hold promotions:read to price at the till, but the
  // console's promotion screens are for those who run them — HQ (chain-wide
  // read) and franchisees (their own, with promotions:write).
  'promotions.read': (me: Me) => chainWide(me, 'promotions:read') || holds(me, 'promotions:write'),
  'promotions.write': (me: Me) => writable(me) && holds(me, 'promotions:write'),
  'promotions.settings': (me: Me) => chainWide(me, 'promotions:read'),
  'promotions.settingsWrite': (me: Me) => writable(me) && chainWide(me, 'promotions:write'),
  // Coupon batches and coupons are HQ's (chain-wide) only.
  'coupons.read': (me: Me) => chainWide(me, 'promotions:read'),
  'coupons.write': (me: Me) => writable(me) && chainWide(me, 'promotions:write'),
  // The POS back office. The POS keeps working while the chain is
  // read-only (billing exempts it), so its writes do not ask writable().
  'pos.manage': (me: Me) => holds(me, 'shifts:manage'),
  'pos.sales': (me: Me) => holds(me, 'reports:read'),
  'pos.settings': (me: Me) => holds(me, 'shifts:manage') || chainWide(me, 'settings:write'),
  'pos.settingsWrite': (me: Me) => chainWide(me, 'settings:write'),
  // The approval PIN matters to whoever may approve at a till.
  'pos.approvalPin': (me: Me) => ['pos:refund', 'pos:void', 'pos:price_override'].some((p) => holds(me, p)),
} satisfies Record<string, (me: Me) => boolean>;

export type AccessKey = keyof typeof accessRules;

export type AccessMap = Record<AccessKey, boolean>;

export function computeAccess(me: Me): AccessMap {
  return Object.fromEntries(Object.entries(accessRules).map(([key, rule]) => [key, rule(me)])) as AccessMap;
}

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
  'onboarding.write': (me: Me) => writable(me) && chainWide(me, 'settings:write'),
  // catalog: HQ keeps the catalog (chain-wide catalog:write); every role reads it in its stores.
  'catalog.read': (me: Me) => holds(me, 'catalog:read'),
  'catalog.write': (me: Me) => writable(me) && chainWide(me, 'catalog:write'),
  'catalog.export': (me: Me) => chainWide(me, 'catalog:read'),
  'prices.write': (me: Me) => writable(me) && chainWide(me, 'prices:write'),
  'promotions.read': (me: Me) => holds(me, 'promotions:read'),
  // inventory: per store; the API checks the store.
  'inventory.read': (me: Me) => holds(me, 'inventory:read'),
  'inventory.write': (me: Me) => writable(me) && holds(me, 'inventory:write'),
  'stocktake.approve': (me: Me) => writable(me) && holds(me, 'stocktake:approve'),
  'transfers.approve': (me: Me) => writable(me) && holds(me, 'transfers:approve'),
  'reports.read': (me: Me) => holds(me, 'reports:read'),
  'inventorySettings.write': (me: Me) => writable(me) && chainWide(me, 'settings:write'),
} satisfies Record<string, (me: Me) => boolean>;

export type AccessKey = keyof typeof accessRules;

export type AccessMap = Record<AccessKey, boolean>;

export function computeAccess(me: Me): AccessMap {
  return Object.fromEntries(Object.entries(accessRules).map(([key, rule]) => [key, rule(me)])) as AccessMap;
}

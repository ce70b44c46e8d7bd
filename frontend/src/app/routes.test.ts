import { describe, expect, it } from 'vitest';
import { meFor } from '../test/me';
import { computeAccess } from './access';
import { consoleRoutes, firstPage, visibleMenu, type ConsoleRoute } from './routes';

/** menuPaths flattens the visible menu to its paths, groups first. */
function menuPaths(routes: ConsoleRoute[]): string[] {
  return routes.flatMap((r) => [r.path, ...menuPaths(r.children ?? [])]);
}

describe('the menu follows /me', () => {
  it.each([
    [
      'hq_admin',
      [
        '/dashboard',
        ...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/imports', '/catalog/labels', '/catalog/scale-layouts'],
        ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/analysis', '/inventory/settings'],
        ...['/members', '/members/list', '/members/tiers', '/members/points-rule', '/members/gifts', '/members/topup-rules'],
        ...['/marketing', '/promotions', '/coupon-batches', '/coupons', '/promotion-settings'],
        ...['/finance', '/finance/statements', '/finance/journal', '/finance/manual-entries', '/finance/periods', '/finance/accounts', '/finance/entities', '/finance/rules', '/finance/settlements'],
        ...['/pos-admin', '/pos-admin/sales', '/pos-admin/registers', '/pos-admin/shifts', '/pos-admin/day-end', '/pos-admin/offline', '/pos-admin/settings', '/pos-admin/approval-pin'],
        ...['/pos', '/org', '/org/profile', '/org/stores', '/org/franchisees', '/staff', '/staff/users', '/staff/roles', '/staff/audit-log', '/billing', '/onboarding'],
      ],
    ],
    ['store_manager', ['/dashboard', ...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/labels', '/catalog/scale-layouts'], ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/analysis', '/inventory/settings'], '/finance', '/finance/statements', ...['/pos-admin', '/pos-admin/sales', '/pos-admin/registers', '/pos-admin/shifts', '/pos-admin/day-end', '/pos-admin/offline', '/pos-admin/settings', '/pos-admin/approval-pin'], '/pos', '/org', '/org/stores', '/staff', '/staff/users', '/staff/roles']],
    ['franchisee', ['/dashboard', ...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/labels', '/catalog/scale-layouts'], ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/analysis', '/inventory/settings'], '/marketing', '/promotions', '/finance', '/finance/statements', ...['/pos-admin', '/pos-admin/sales', '/pos-admin/registers', '/pos-admin/shifts', '/pos-admin/day-end', '/pos-admin/offline', '/pos-admin/settings', '/pos-admin/approval-pin'], '/pos', '/org', '/org/stores', '/staff', '/staff/users', '/staff/roles']],
    ['cashier', [...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/labels', '/catalog/scale-layouts'], ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/settings'], '/pos', '/org', '/org/stores']],
  ] as const)('%s sees %j', (role, paths) => {
    expect(menuPaths(visibleMenu(consoleRoutes, computeAccess(meFor(role))))).toEqual(paths);
  });

  it('never lists detail pages', () => {
    const all = menuPaths(visibleMenu(consoleRoutes, computeAccess(meFor('hq_admin'))));
    expect(all.filter((p) => p.includes(':'))).toEqual([]);
  });

  it('leads "/" to the first page the user may open', () => {
    expect(firstPage(consoleRoutes, computeAccess(meFor('hq_admin')))).toBe('/dashboard');
    expect(firstPage(consoleRoutes, computeAccess(meFor('cashier')))).toBe('/catalog/products');
    const nobody = { ...meFor('cashier'), permissions: [] };
    expect(firstPage(consoleRoutes, computeAccess(nobody))).toBeUndefined();
  });
});

describe('members and finance follow /me', () => {
  it('keeps the member pages and HQ finance chain-wide, and gives a franchisee’s users their books', () => {
    const manager = computeAccess(meFor('store_manager'));
    expect(manager['members.read']).toBe(false); // tills look members up per store; the console's list is HQ's
    expect(manager['finance.read']).toBe(true);
    expect(manager['finance.books']).toBe(false);
    const base = meFor('franchisee');
    const own = computeAccess({ ...base, user: { ...base.user, franchisee_id: '0190f5a4-0000-7000-8000-0000000000ff' } });
    expect(own['finance.books']).toBe(true);
    expect(own['finance.readChain']).toBe(false);
    expect(own['finance.approve']).toBe(false);
    const admin = computeAccess(meFor('hq_admin'));
    expect([admin['members.export'], admin['finance.write'], admin['finance.approve']]).toEqual([true, true, true]);
  });

  it('keeps exports open and writes closed in a read-only chain', () => {
    const access = computeAccess(meFor('hq_admin', { read_only: true, access: 'read_only', status: 'canceled' }));
    expect(access['members.export']).toBe(true);
    expect(access['members.exportOne']).toBe(true);
    expect(access['members.write']).toBe(false);
    expect(access['members.erase']).toBe(false);
    expect(access['finance.write']).toBe(false);
    expect(access['finance.read']).toBe(true);
  });
});

describe('buttons follow /me', () => {
  it('offers chain-wide writes only to chain-wide roles', () => {
    const franchisee = computeAccess(meFor('franchisee'));
    expect(franchisee['users.write']).toBe(true);
    expect(franchisee['stores.create']).toBe(false);
    expect(franchisee['roles.write']).toBe(false);
    expect(computeAccess(meFor('hq_admin'))['stores.create']).toBe(true);
    // HQ keeps the catalog; a franchisee reads it and works its own stores' stock.
    expect(franchisee['catalog.write']).toBe(false);
    expect(franchisee['catalog.read']).toBe(true);
    expect(franchisee['inventory.write']).toBe(true);
    expect(computeAccess(meFor('hq_admin'))['catalog.write']).toBe(true);
    expect(computeAccess(meFor('cashier'))['inventory.write']).toBe(false);
  });

  it('keeps the promotion screens from a cashier, who holds promotions:read only to price at the till', () => {
    const cashier = computeAccess(meFor('cashier'));
    expect(meFor('cashier').permissions).toContain('promotions:read');
    expect(cashier['promotions.read']).toBe(false);
    expect(cashier['pos.manage']).toBe(false);
    expect(cashier['dashboard.read']).toBe(false);
    const franchisee = computeAccess(meFor('franchisee'));
    expect(franchisee['promotions.read']).toBe(true);
    expect(franchisee['coupons.read']).toBe(false);
    expect(franchisee['pos.settingsWrite']).toBe(false);
  });

  it('turns writes off in a read-only chain, except billing and the POS', () => {
    const access = computeAccess(meFor('hq_admin', { read_only: true, access: 'read_only', status: 'canceled' }));
    expect(access['stores.create']).toBe(false);
    expect(access['users.write']).toBe(false);
    expect(access['stores.read']).toBe(true);
    expect(access['billing.write']).toBe(true);
    expect(access['promotions.write']).toBe(false);
    expect(access['pos.manage']).toBe(true);
  });
});

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
        ...['/marketing', '/promotions', '/coupon-batches', '/coupons', '/promotion-settings'],
        ...['/pos-admin', '/pos-admin/sales', '/pos-admin/registers', '/pos-admin/shifts', '/pos-admin/day-end', '/pos-admin/offline', '/pos-admin/settings', '/pos-admin/approval-pin'],
        '/org', '/org/stores', '/org/franchisees', '/staff', '/staff/users', '/staff/roles', '/staff/audit-log', '/billing', '/onboarding',
      ],
    ],
    ['store_manager', ['/dashboard', '/pos-admin', '/pos-admin/sales', '/pos-admin/registers', '/pos-admin/shifts', '/pos-admin/day-end', '/pos-admin/offline', '/pos-admin/settings', '/pos-admin/approval-pin', '/org', '/org/stores', '/staff', '/staff/users', '/staff/roles']],
    ['franchisee', ['/dashboard', '/marketing', '/promotions', '/pos-admin', '/pos-admin/sales', '/pos-admin/registers', '/pos-admin/shifts', '/pos-admin/day-end', '/pos-admin/offline', '/pos-admin/settings', '/pos-admin/approval-pin', '/org', '/org/stores', '/staff', '/staff/users', '/staff/roles']],
    ['cashier', ['/org', '/org/stores']],
  ] as const)('%s sees %j', (role, paths) => {
    expect(menuPaths(visibleMenu(consoleRoutes, computeAccess(meFor(role))))).toEqual(paths);
  });

  it('never lists detail pages', () => {
    const all = menuPaths(visibleMenu(consoleRoutes, computeAccess(meFor('hq_admin'))));
    expect(all.filter((p) => p.includes(':'))).toEqual([]);
  });

  it('leads "/" to the first page the user may open', () => {
    expect(firstPage(consoleRoutes, computeAccess(meFor('hq_admin')))).toBe('/dashboard');
    expect(firstPage(consoleRoutes, computeAccess(meFor('cashier')))).toBe('/org/stores');
    const nobody = { ...meFor('cashier'), permissions: [] };
    expect(firstPage(consoleRoutes, computeAccess(nobody))).toBeUndefined();
  });
});

describe('buttons follow /me', () => {
  it('offers chain-wide writes only to chain-wide roles', () => {
    const franchisee = computeAccess(meFor('franchisee'));
    expect(franchisee['users.write']).toBe(true);
    expect(franchisee['stores.create']).toBe(false);
    expect(franchisee['roles.write']).toBe(false);
    expect(computeAccess(meFor('hq_admin'))['stores.create']).toBe(true);
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

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
        ...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/imports', '/catalog/labels'],
        ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/analysis', '/inventory/settings'],
        ...['/org', '/org/stores', '/org/franchisees', '/staff', '/staff/users', '/staff/roles', '/staff/audit-log', '/billing', '/onboarding'],
      ],
    ],
    ['store_manager', [...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/labels'], ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/analysis', '/inventory/settings'], '/org', '/org/stores', '/staff', '/staff/users', '/staff/roles']],
    ['franchisee', [...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/labels'], ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/analysis', '/inventory/settings'], '/org', '/org/stores', '/staff', '/staff/users', '/staff/roles']],
    ['cashier', [...['/catalog', '/catalog/products', '/catalog/categories', '/catalog/brands', '/catalog/units', '/catalog/labels'], ...['/inventory', '/inventory/stock', '/inventory/movements', '/inventory/alerts', '/inventory/stocktakes', '/inventory/transfers', '/inventory/settings'], '/org', '/org/stores']],
  ] as const)('%s sees %j', (role, paths) => {
    expect(menuPaths(visibleMenu(consoleRoutes, computeAccess(meFor(role))))).toEqual(paths);
  });

  it('never lists detail pages', () => {
    const all = menuPaths(visibleMenu(consoleRoutes, computeAccess(meFor('hq_admin'))));
    expect(all.filter((p) => p.includes(':'))).toEqual([]);
  });

  it('leads "/" to the first page the user may open', () => {
    expect(firstPage(consoleRoutes, computeAccess(meFor('cashier')))).toBe('/catalog/products');
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
    // HQ keeps the catalog; a franchisee reads it and works its own stores' stock.
    expect(franchisee['catalog.write']).toBe(false);
    expect(franchisee['catalog.read']).toBe(true);
    expect(franchisee['inventory.write']).toBe(true);
    expect(computeAccess(meFor('hq_admin'))['catalog.write']).toBe(true);
    expect(computeAccess(meFor('cashier'))['inventory.write']).toBe(false);
  });

  it('turns writes off in a read-only chain, except billing', () => {
    const access = computeAccess(meFor('hq_admin', { read_only: true, access: 'read_only', status: 'canceled' }));
    expect(access['stores.create']).toBe(false);
    expect(access['users.write']).toBe(false);
    expect(access['stores.read']).toBe(true);
    expect(access['billing.write']).toBe(true);
  });
});

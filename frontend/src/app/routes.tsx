import {
  AppstoreOutlined,
  AuditOutlined,
  DatabaseOutlined,
  CreditCardOutlined,
  RocketOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { AccessKey, AccessMap } from './access';

// The console's one route and menu table. Each entry is a page (lazy, so
// it is its own chunk), its menu title (an i18n id), and the access key
// that must be true for the menu item to show and the page to open; a
// direct URL to a page the user may not see draws the 403 page. A group
// shows when any of its children does.
//
// To add a page: a folder src/pages/<module>/<page>/index.tsx with a
// default export, an entry here, and the strings in
// src/pages/<module>/locales. Later modules slot in where marked, in
// this order: dashboard, catalog, inventory, members, promotions,
// purchasing, finance, POS.

export interface ConsoleRoute {
  path: string;
  title: string;
  icon?: ReactNode;
  access?: AccessKey;
  page?: LazyExoticComponent<ComponentType>;
  hideInMenu?: boolean;
  children?: ConsoleRoute[];
}

export const consoleRoutes: ConsoleRoute[] = [
  // ── dashboard goes here ──
  {
    path: '/catalog',
    title: 'catalog:menu.group',
    icon: <AppstoreOutlined />,
    children: [
      { path: '/catalog/products', title: 'catalog:menu.products', access: 'catalog.read', page: lazy(() => import('../pages/catalog/products')) },
      {
        path: '/catalog/products/:id',
        title: 'catalog:menu.productDetail',
        access: 'catalog.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/catalog/product-detail')),
      },
      { path: '/catalog/categories', title: 'catalog:menu.categories', access: 'catalog.read', page: lazy(() => import('../pages/catalog/categories')) },
      { path: '/catalog/brands', title: 'catalog:menu.brands', access: 'catalog.read', page: lazy(() => import('../pages/catalog/brands')) },
      { path: '/catalog/units', title: 'catalog:menu.units', access: 'catalog.read', page: lazy(() => import('../pages/catalog/units')) },
      { path: '/catalog/imports', title: 'catalog:menu.imports', access: 'catalog.write', page: lazy(() => import('../pages/catalog/imports')) },
      { path: '/catalog/labels', title: 'catalog:menu.labels', access: 'catalog.read', page: lazy(() => import('../pages/catalog/labels')) },
    ],
  },
  {
    path: '/inventory',
    title: 'inventory:menu.group',
    icon: <DatabaseOutlined />,
    children: [
      { path: '/inventory/stock', title: 'inventory:menu.stock', access: 'inventory.read', page: lazy(() => import('../pages/inventory/stock')) },
      {
        path: '/inventory/stock/:storeId/:skuId',
        title: 'inventory:menu.stockDetail',
        access: 'inventory.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/inventory/stock-detail')),
      },
      { path: '/inventory/movements', title: 'inventory:menu.movements', access: 'inventory.read', page: lazy(() => import('../pages/inventory/movements')) },
      { path: '/inventory/alerts', title: 'inventory:menu.alerts', access: 'inventory.read', page: lazy(() => import('../pages/inventory/alerts')) },
      { path: '/inventory/stocktakes', title: 'inventory:menu.stocktakes', access: 'inventory.read', page: lazy(() => import('../pages/inventory/stocktakes')) },
      {
        path: '/inventory/stocktakes/:id',
        title: 'inventory:menu.stocktakeDetail',
        access: 'inventory.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/inventory/stocktake-detail')),
      },
      { path: '/inventory/transfers', title: 'inventory:menu.transfers', access: 'inventory.read', page: lazy(() => import('../pages/inventory/transfers')) },
      {
        path: '/inventory/transfers/:id',
        title: 'inventory:menu.transferDetail',
        access: 'inventory.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/inventory/transfer-detail')),
      },
      { path: '/inventory/analysis', title: 'inventory:menu.analysis', access: 'reports.read', page: lazy(() => import('../pages/inventory/analysis')) },
      { path: '/inventory/settings', title: 'inventory:menu.settings', access: 'inventory.read', page: lazy(() => import('../pages/inventory/settings')) },
    ],
  },
  // ── members, promotions, purchasing, finance, POS go here ──
  {
    path: '/org',
    title: 'org:menu.group',
    icon: <ShopOutlined />,
    children: [
      { path: '/org/stores', title: 'org:menu.stores', access: 'stores.read', page: lazy(() => import('../pages/org/store-list')) },
      {
        path: '/org/stores/:id',
        title: 'org:menu.storeDetail',
        access: 'stores.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/org/store-detail')),
      },
      {
        path: '/org/franchisees',
        title: 'org:menu.franchisees',
        access: 'franchisees.read',
        page: lazy(() => import('../pages/org/franchisee-list')),
      },
      {
        path: '/org/franchisees/:id',
        title: 'org:menu.franchiseeDetail',
        access: 'franchisees.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/org/franchisee-detail')),
      },
    ],
  },
  {
    path: '/staff',
    title: 'users:menu.group',
    icon: <TeamOutlined />,
    children: [
      { path: '/staff/users', title: 'users:menu.staff', access: 'users.read', page: lazy(() => import('../pages/users/staff-list')) },
      {
        path: '/staff/users/:id',
        title: 'users:menu.staffDetail',
        access: 'users.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/users/staff-detail')),
      },
      {
        path: '/staff/roles',
        title: 'authz:menu.roles',
        icon: <SafetyCertificateOutlined />,
        access: 'roles.read',
        page: lazy(() => import('../pages/authz/role-list')),
      },
      {
        path: '/staff/roles/:id',
        title: 'authz:menu.roleDetail',
        access: 'roles.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/authz/role-detail')),
      },
      {
        path: '/staff/audit-log',
        title: 'audit:menu.auditLog',
        icon: <AuditOutlined />,
        access: 'audit.read',
        page: lazy(() => import('../pages/audit/audit-log')),
      },
    ],
  },
  {
    path: '/billing',
    title: 'billing:menu.plan',
    icon: <CreditCardOutlined />,
    access: 'billing.read',
    page: lazy(() => import('../pages/billing/plan')),
  },
  {
    path: '/onboarding',
    title: 'billing:menu.onboarding',
    icon: <RocketOutlined />,
    access: 'billing.read',
    page: lazy(() => import('../pages/billing/onboarding')),
  },
];

/** allowed: the entry's access key holds (an entry without one is open to every signed-in user). */
export function allowed(route: ConsoleRoute, access: AccessMap): boolean {
  return route.access === undefined || access[route.access];
}

/** visibleMenu: the menu tree the user may see (hidden detail pages and empty groups left out). */
export function visibleMenu(routes: ConsoleRoute[], access: AccessMap): ConsoleRoute[] {
  const out: ConsoleRoute[] = [];
  for (const route of routes) {
    if (route.hideInMenu || !allowed(route, access)) continue;
    if (route.children) {
      const children = visibleMenu(route.children, access);
      if (children.length > 0) out.push({ ...route, children });
    } else {
      out.push(route);
    }
  }
  return out;
}

/** pageRoutes: every entry with a page, flattened, for the router. */
export function pageRoutes(routes: ConsoleRoute[]): ConsoleRoute[] {
  return routes.flatMap((r) => [...(r.page ? [r] : []), ...pageRoutes(r.children ?? [])]);
}

/** firstPage: where "/" leads — the first menu page the user may open. */
export function firstPage(routes: ConsoleRoute[], access: AccessMap): string | undefined {
  for (const route of visibleMenu(routes, access)) {
    if (route.page) return route.path;
    const child = route.children && firstPage(route.children, access);
    if (child) return child;
  }
  return undefined;
}

/** findPage: the page entry for a path of the table ("/org/stores"), if it exists and is allowed. */
export function findPage(path: string, access: AccessMap): ConsoleRoute | undefined {
  return pageRoutes(consoleRoutes).find((r) => r.path === path && allowed(r, access));
}

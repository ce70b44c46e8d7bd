import {
  AuditOutlined,
  CreditCardOutlined,
  DashboardOutlined,
  DesktopOutlined,
  GiftOutlined,
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
  // ── dashboard, catalog, inventory, members, promotions, purchasing, finance, POS go here ──
  {
    path: '/dashboard',
    title: 'dashboard:menu.dashboard',
    icon: <DashboardOutlined />,
    access: 'dashboard.read',
    page: lazy(() => import('../pages/dashboard/overview')),
  },
  // ── catalog, inventory, members ──
  {
    path: '/marketing',
    title: 'promotions:menu.group',
    icon: <GiftOutlined />,
    children: [
      { path: '/promotions', title: 'promotions:menu.promotions', access: 'promotions.read', page: lazy(() => import('../pages/promotions/promotion-list')) },
      {
        path: '/promotions/:id',
        title: 'promotions:menu.promotionDetail',
        access: 'promotions.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/promotions/promotion-detail')),
      },
      {
        path: '/coupon-batches',
        title: 'promotions:menu.couponBatches',
        access: 'coupons.read',
        page: lazy(() => import('../pages/promotions/coupon-batch-list')),
      },
      {
        path: '/coupon-batches/:id',
        title: 'promotions:menu.couponBatchDetail',
        access: 'coupons.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/promotions/coupon-batch-detail')),
      },
      { path: '/coupons', title: 'promotions:menu.coupons', access: 'coupons.read', page: lazy(() => import('../pages/promotions/coupon-list')) },
      {
        path: '/promotion-settings',
        title: 'promotions:menu.settings',
        access: 'promotions.settings',
        page: lazy(() => import('../pages/promotions/settings')),
      },
    ],
  },
  // ── purchasing, finance ──
  {
    path: '/pos-admin',
    title: 'pos:menu.group',
    icon: <DesktopOutlined />,
    children: [
      { path: '/pos-admin/sales', title: 'pos:menu.sales', access: 'pos.sales', page: lazy(() => import('../pages/pos/sale-list')) },
      {
        path: '/pos-admin/stores/:storeId/sales/:id',
        title: 'pos:menu.saleDetail',
        access: 'pos.sales',
        hideInMenu: true,
        page: lazy(() => import('../pages/pos/sale-detail')),
      },
      {
        path: '/pos-admin/stores/:storeId/returns/:id',
        title: 'pos:menu.returnDetail',
        access: 'pos.manage',
        hideInMenu: true,
        page: lazy(() => import('../pages/pos/return-detail')),
      },
      { path: '/pos-admin/registers', title: 'pos:menu.registers', access: 'pos.manage', page: lazy(() => import('../pages/pos/register-list')) },
      { path: '/pos-admin/shifts', title: 'pos:menu.shifts', access: 'pos.manage', page: lazy(() => import('../pages/pos/shift-list')) },
      {
        path: '/pos-admin/stores/:storeId/shifts/:id',
        title: 'pos:menu.shiftDetail',
        access: 'pos.manage',
        hideInMenu: true,
        page: lazy(() => import('../pages/pos/shift-detail')),
      },
      { path: '/pos-admin/day-end', title: 'pos:menu.dayEnd', access: 'pos.manage', page: lazy(() => import('../pages/pos/day-end')) },
      { path: '/pos-admin/offline', title: 'pos:menu.offline', access: 'pos.manage', page: lazy(() => import('../pages/pos/offline-queue')) },
      { path: '/pos-admin/settings', title: 'pos:menu.settings', access: 'pos.settings', page: lazy(() => import('../pages/pos/settings')) },
      {
        path: '/pos-admin/approval-pin',
        title: 'pos:menu.approvalPin',
        access: 'pos.approvalPin',
        page: lazy(() => import('../pages/pos/approval-pin')),
      },
    ],
  },
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

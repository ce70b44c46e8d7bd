import {
  AccountBookOutlined,
  AppstoreOutlined,
  AuditOutlined,
  DatabaseOutlined,
  IdcardOutlined,
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
  /** fullScreen: drawn without the console's menu and header (the till); "/" never leads there. */
  fullScreen?: boolean;
  children?: ConsoleRoute[];
}

export const consoleRoutes: ConsoleRoute[] = [
  // In the order of the table's comment: dashboard, catalog, inventory, members, promotions,
  // (purchasing goes after promotions), finance, POS, then the chain's own pages.
  {
    path: '/dashboard',
    title: 'dashboard:menu.dashboard',
    icon: <DashboardOutlined />,
    access: 'dashboard.read',
    page: lazy(() => import('../pages/dashboard/overview')),
  },
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
      { path: '/catalog/scale-layouts', title: 'catalog:menu.scaleLayouts', access: 'catalog.read', page: lazy(() => import('../pages/catalog/scale-layouts')) },
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
  {
    path: '/members',
    title: 'members:menu.group',
    icon: <IdcardOutlined />,
    children: [
      { path: '/members/list', title: 'members:menu.members', access: 'members.read', page: lazy(() => import('../pages/members/member-list')) },
      {
        path: '/members/import',
        title: 'members:menu.import',
        access: 'members.write',
        hideInMenu: true,
        page: lazy(() => import('../pages/members/member-import')),
      },
      {
        path: '/members/:id',
        title: 'members:menu.memberDetail',
        access: 'members.read',
        hideInMenu: true,
        page: lazy(() => import('../pages/members/member-detail')),
      },
      { path: '/members/tiers', title: 'members:menu.tiers', access: 'members.read', page: lazy(() => import('../pages/members/tiers')) },
      { path: '/members/points-rule', title: 'members:menu.pointsRule', access: 'members.read', page: lazy(() => import('../pages/members/points-rule')) },
      { path: '/members/gifts', title: 'members:menu.gifts', access: 'members.read', page: lazy(() => import('../pages/members/gifts')) },
      { path: '/members/topup-rules', title: 'members:menu.topupRules', access: 'members.read', page: lazy(() => import('../pages/members/topup-rules')) },
    ],
  },
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
  {
    path: '/finance',
    title: 'finance:menu.group',
    icon: <AccountBookOutlined />,
    children: [
      { path: '/finance/statements', title: 'finance:menu.statements', access: 'finance.read', page: lazy(() => import('../pages/finance/statements')) },
      { path: '/finance/journal', title: 'finance:menu.journal', access: 'finance.books', page: lazy(() => import('../pages/finance/journal')) },
      {
        path: '/finance/journal/:id',
        title: 'finance:menu.entryDetail',
        access: 'finance.books',
        hideInMenu: true,
        page: lazy(() => import('../pages/finance/entry-detail')),
      },
      {
        path: '/finance/manual-entries',
        title: 'finance:menu.manualEntries',
        access: 'finance.readChain',
        page: lazy(() => import('../pages/finance/manual-entries')),
      },
      {
        path: '/finance/manual-entries/new',
        title: 'finance:menu.manualEntryNew',
        access: 'finance.write',
        hideInMenu: true,
        page: lazy(() => import('../pages/finance/manual-entry-new')),
      },
      {
        path: '/finance/manual-entries/:id',
        title: 'finance:menu.manualEntryDetail',
        access: 'finance.readChain',
        hideInMenu: true,
        page: lazy(() => import('../pages/finance/manual-entry-detail')),
      },
      { path: '/finance/periods', title: 'finance:menu.periods', access: 'finance.books', page: lazy(() => import('../pages/finance/periods')) },
      { path: '/finance/accounts', title: 'finance:menu.accounts', access: 'finance.books', page: lazy(() => import('../pages/finance/accounts')) },
      { path: '/finance/entities', title: 'finance:menu.entities', access: 'finance.books', page: lazy(() => import('../pages/finance/entities')) },
      { path: '/finance/rules', title: 'finance:menu.rules', access: 'finance.readChain', page: lazy(() => import('../pages/finance/rules')) },
      { path: '/finance/settlements', title: 'finance:menu.settlements', access: 'finance.books', page: lazy(() => import('../pages/finance/settlements')) },
      {
        path: '/finance/settlements/:id',
        title: 'finance:menu.settlementDetail',
        access: 'finance.books',
        hideInMenu: true,
        page: lazy(() => import('../pages/finance/settlement-detail')),
      },
    ],
  },
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
  { path: '/pos', title: 'till:menu.till', icon: <DesktopOutlined />, access: 'pos.sell', fullScreen: true, page: lazy(() => import('../pages/till/pos')) },
  {
    path: '/org',
    title: 'org:menu.group',
    icon: <ShopOutlined />,
    children: [
      { path: '/org/profile', title: 'org:menu.profile', access: 'tenant.read', page: lazy(() => import('../pages/org/chain-profile')) },
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
    if (route.fullScreen) continue;
    if (route.page) return route.path;
    const child = route.children && firstPage(route.children, access);
    if (child) return child;
  }
  return undefined;
}

/** isFullScreen: the path is a page drawn without the console's layout. */
export function isFullScreen(pathname: string): boolean {
  return pageRoutes(consoleRoutes).some((r) => r.fullScreen && r.path === pathname);
}

/** findPage: the page entry for a path of the table ("/org/stores"), if it exists and is allowed. */
export function findPage(path: string, access: AccessMap): ConsoleRoute | undefined {
  return pageRoutes(consoleRoutes).find((r) => r.path === path && allowed(r, access));
}

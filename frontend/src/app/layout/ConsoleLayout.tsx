import { LogoutOutlined } from '@ant-design/icons';
import { ProLayout, type MenuDataItem } from '@ant-design/pro-components';
import { useQueryClient } from '@tanstack/react-query';
import { Dropdown, Spin } from 'antd';
import { Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api, tokens } from '../../api/client';
import { consoleRoutes, isFullScreen, visibleMenu, type ConsoleRoute } from '../routes';
import { useSession } from '../session';
import { BillingBanner } from './BillingBanner';
import { LanguageSwitch } from './LanguageSwitch';
import { StoreSwitcher } from './StoreSwitcher';

function toMenu(routes: ConsoleRoute[], t: (id: string) => string): MenuDataItem[] {
  return routes.map((r) => ({
    path: r.path,
    name: t(r.title),
    icon: r.icon,
    children: r.children ? toMenu(r.children, t) : undefined,
  }));
}

/** useLogout ends the session on the server, then forgets it here whatever the server said. */
export function useLogout(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try {
      await api.POST('/api/v1/auth/logout');
    } finally {
      tokens.clear();
      queryClient.clear();
      navigate('/login', { replace: true });
    }
  };
}

/** ConsoleLayout: the menu of what the user may see, the header's switches, the billing banner, the page. */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const { me, access } = useSession();
  const location = useLocation();
  const logout = useLogout();
  const menu = useMemo(() => toMenu(visibleMenu(consoleRoutes, access), t), [access, t]);

  // A full-screen page (the till) has the session but not the menu and header.
  if (isFullScreen(location.pathname)) {
    return (
      <Suspense fallback={<Spin style={{ display: 'block', margin: '96px auto' }} />}>
        <Outlet />
      </Suspense>
    );
  }

  return (
    <ProLayout
      title={t('app.short')}
      logo="/favicon.svg"
      layout="mix"
      fixSiderbar
      siderWidth={216}
      breakpoint="lg"
      route={{ path: '/', children: menu }}
      location={{ pathname: location.pathname }}
      menu={{ locale: false, defaultOpenAll: true, ignoreFlatMenu: true }}
      menuItemRender={(item, dom) => (item.path ? <Link to={item.path}>{dom}</Link> : dom)}
      actionsRender={() => [<StoreSwitcher key="store" />, <LanguageSwitch key="language" />]}
      avatarProps={{
        size: 'small',
        title: <span data-testid="current-user">{t('header.signedInAs', { name: me.user.name, chain: me.tenant.name })}</span>,
        render: (_, avatar) => (
          <Dropdown
            menu={{
              items: [{ key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), onClick: () => void logout() }],
            }}
          >
            {avatar}
          </Dropdown>
        ),
      }}
    >
      <BillingBanner />
      <Suspense fallback={<Spin style={{ display: 'block', margin: '96px auto' }} />}>
        <Outlet />
      </Suspense>
    </ProLayout>
  );
}

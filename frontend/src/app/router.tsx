import { Result, Spin } from 'antd';
import { Suspense, lazy, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, createBrowserRouter, useRouteError, type RouteObject } from 'react-router';
import { ErrorResult, ForbiddenResult, NotFoundResult } from '../components/ErrorResult';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { allowed, consoleRoutes, firstPage, pageRoutes, type ConsoleRoute } from './routes';
import { SessionProvider, useAccess } from './session';
import { StoreProvider } from './store-context';

// The router is built from the route table (routes.tsx); only the pages
// outside the console layout (sign-in and friends) are listed here.

const LoginPage = lazy(() => import('../pages/auth/login'));
const SignupPage = lazy(() => import('../pages/auth/signup'));
const SetPasswordPage = lazy(() => import('../pages/auth/set-password'));

const spin = <Spin style={{ display: 'block', margin: '96px auto' }} />;

function GuardedPage({ route }: { route: ConsoleRoute }) {
  const access = useAccess();
  if (!allowed(route, access)) return <ForbiddenResult />;
  const Page = route.page as NonNullable<ConsoleRoute['page']>;
  return <Page />;
}

function Home() {
  const { t } = useTranslation();
  const access = useAccess();
  const to = firstPage(consoleRoutes, access);
  return to ? <Navigate to={to} replace /> : <Result status="info" title={t('result.nothingToSee')} />;
}

/** RouteError: a page that threw while drawing shows the error, not a blank screen. */
function RouteError() {
  return <ErrorResult error={useRouteError()} onRetry={() => window.location.reload()} />;
}

const publicPage = (Page: ComponentType) => (
  <Suspense fallback={spin}>
    <Page />
  </Suspense>
);

export const routeObjects: RouteObject[] = [
  { path: '/login', element: publicPage(LoginPage) },
  { path: '/signup', element: publicPage(SignupPage) },
  { path: '/accept-invite', element: publicPage(SetPasswordPage) },
  { path: '/reset-password', element: publicPage(SetPasswordPage) },
  {
    path: '/',
    element: (
      <SessionProvider>
        <StoreProvider>
          <ConsoleLayout />
        </StoreProvider>
      </SessionProvider>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      ...pageRoutes(consoleRoutes).map((route) => ({ path: route.path, element: <GuardedPage route={route} />, errorElement: <RouteError /> })),
      { path: '*', element: <NotFoundResult /> },
    ],
  },
];

export function createConsoleRouter() {
  return createBrowserRouter(routeObjects);
}

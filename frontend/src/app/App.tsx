import { ProConfigProvider, enUSIntl, zhCNIntl } from '@ant-design/pro-components';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/problem';
import { createConsoleRouter } from './router';

/** retryServerTrouble: retry a failed load twice when the server or network failed, never for a 4xx answer. */
function retryServerTrouble(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryServerTrouble, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

export function App() {
  const { i18n } = useTranslation();
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createConsoleRouter);
  const english = i18n.language === 'en';
  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      {/* pro-components keep their own texts (search form, pager): same language. */}
      <ProConfigProvider intl={english ? enUSIntl : zhCNIntl}>
        <AntApp>
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </AntApp>
      </ProConfigProvider>
    </ConfigProvider>
  );
}

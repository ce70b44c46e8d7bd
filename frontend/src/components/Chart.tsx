import { Skeleton } from 'antd';
import { Suspense, lazy } from 'react';
import type { EChartProps } from './EChart';

// ECharts is large: it loads with the first chart drawn, never with the
// console's first page.
const EChart = lazy(() => import('./EChart'));

/** Chart draws an ECharts option (see EChart.tsx for the chart types bundled). */
export function Chart(props: EChartProps) {
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: props.height ?? 240 }} />}>
      <EChart {...props} />
    </Suspense>
  );
}

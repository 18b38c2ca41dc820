// ECharts with only what the dashboard draws (bars, lines; grid, tooltip, legend), so the bundle stays small.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

const charts = new Set<echarts.ECharts>();
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

/** Disposes the charts of the page being left. */
export function disposeCharts(): void {
  charts.forEach((c) => c.dispose());
  charts.clear();
}

export const palette = ['#2f6fb3', '#e08a2e', '#3a9b6a', '#b8463f', '#7b5fa8', '#8c7a5b', '#d16ba5', '#5f6b78'];

/** A chart in a container of its own; the container must be in the document already (it takes its size). */
export function chart(container: HTMLElement, option: EChartsCoreOption): echarts.ECharts {
  const instance = echarts.init(container, null, { renderer: 'canvas' });
  instance.setOption({
    color: palette,
    textStyle: { fontFamily: 'inherit' },
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 24, top: 40, bottom: 40, containLabel: true },
    animation: false,
    ...option,
  });
  charts.add(instance);
  return instance;
}

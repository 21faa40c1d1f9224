/**
 * Draws the printable report's charts with the dashboard's chart.js configurations, fixed in size
 * (the canvas's width and height, chosen to fit an A4 column) and at twice the pixel density, so
 * that print and PDF capture finished, sharp charts: no animation, no resizing while the page is
 * laid out for print. Wires the "Print" button (no inline script: the CSP forbids it).
 */
import { Chart } from 'chart.js';
import type { ChartSeries } from '../analysis/chart-series.ts';
// Importing the dashboard's script also runs its own drawing, which looks for `data-series`
// canvases; the report's carry `data-report-series` instead, so that each is drawn once, here.
import { chartConfig } from './dashboard.ts';

/** Splits a label into lines of at most `width` characters, at spaces (a longer word keeps its line). */
function wrapLabel(label: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function drawReportCharts(): void {
  for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-report-series]'))) {
    const series = JSON.parse(canvas.dataset.reportSeries ?? 'null') as ChartSeries | null;
    if (!series) continue;
    const wrap = Number(canvas.dataset.labelWrap ?? '36');
    const config = chartConfig(series);
    config.data.labels = series.labels.map((label) => wrapLabel(label, wrap));
    const categoryAxis = series.type === 'histogram' ? 'x' : 'y';
    const scales = config.options?.scales ?? {};
    // Every category keeps its label: the canvas is sized for them, and a skipped label would
    // leave a bar without a name on paper.
    scales[categoryAxis] = { ...scales[categoryAxis], ticks: { ...scales[categoryAxis]?.ticks, autoSkip: false } };
    config.options = { ...config.options, scales, responsive: false, animation: false, devicePixelRatio: 2 };
    new Chart(canvas, config);
  }
}

drawReportCharts();

const printButton = document.querySelector<HTMLButtonElement>('button[data-print]');
if (printButton) {
  printButton.hidden = false;
  printButton.addEventListener('click', () => window.print());
}

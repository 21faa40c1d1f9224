/**
 * Draws the dashboard's charts with chart.js from the neutral series the server puts in each
 * canvas's `data-series` attribute, and offers each chart as a PNG. Every chart has a table
 * beside it with the same figures, so nothing depends on this script.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import type { ChartSeries } from '../analysis/chart-series.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, {
  // A white background, so that the downloaded PNG is not transparent.
  id: 'whiteBackground',
  beforeDraw: (chart) => {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
});

const PALETTE = ['#0b5394', '#6fa8dc', '#999999', '#e69138', '#b45f06', '#674ea7', '#38761d', '#a61c00'];

function percent(value: number): string {
  return `${Math.round(Math.abs(value) * 100)}%`;
}

/** A chart.js configuration for a series (exported for tests). */
export function chartConfig(series: ChartSeries): ChartConfiguration<'bar'> {
  const share = series.unit === 'share';
  if (series.type === 'diverging') {
    const negatives = series.datasets.filter((d) => d.side === 'negative');
    const positives = series.datasets.filter((d) => d.side === 'positive');
    // Strongest colours at the ends of the scale, paler ones next to the middle.
    const color = (d: (typeof series.datasets)[number]) => {
      if (d.side === 'negative') return negatives.indexOf(d) === negatives.length - 1 && negatives.length > 1 ? '#a61c00' : '#e06666';
      if (d.side === 'positive') return positives.indexOf(d) === positives.length - 1 && positives.length > 1 ? '#0b5394' : '#6fa8dc';
      // Hidden counts: a darker grey than the neutral point, and said in the legend.
      if (d.side === 'hidden') return '#6b6b6b';
      return '#bbbbbb';
    };
    const datasets = series.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: color(d), stack: 'scale' }));
    // The legend reads from the lowest point to the highest, whatever the stacking order.
    const order = [...negatives]
      .reverse()
      .map((d) => d.label)
      .concat(
        series.datasets.filter((d) => d.side === 'neutral').map((d) => d.label),
        positives.map((d) => d.label),
        series.datasets.filter((d) => d.side === 'hidden').map((d) => d.label),
      );
    // The neutral point's left half (first dataset) carries no legend entry of its own.
    const splitNeutral = series.datasets[0]?.side === 'neutral';
    return {
      type: 'bar',
      data: { labels: series.labels, datasets },
      options: {
        indexAxis: 'y',
        responsive: true,
        animation: false,
        scales: { x: { stacked: true, min: -1, max: 1, ticks: { callback: (v) => percent(Number(v)) } }, y: { stacked: true } },
        plugins: {
          legend: {
            labels: {
              filter: (item) => !(splitNeutral && item.datasetIndex === 0),
              sort: (a, b) => order.indexOf(a.text) - order.indexOf(b.text),
            },
          },
          tooltip: {
            callbacks: {
              label: (ctx) =>
                `${ctx.dataset.label}: ${percent(Number(ctx.raw) * (ctx.dataset.label === series.datasets.find((d) => d.side === 'neutral')?.label ? 2 : 1))}`,
            },
          },
        },
      },
    };
  }
  const indexAxis = series.type === 'histogram' ? 'x' : 'y';
  const valueAxis = indexAxis === 'x' ? 'y' : 'x';
  return {
    type: 'bar',
    data: {
      labels: series.labels,
      datasets: series.datasets.map((d, i) => ({ label: d.label, data: d.data, backgroundColor: PALETTE[i % PALETTE.length] })),
    },
    options: {
      indexAxis,
      responsive: true,
      animation: false,
      scales: {
        [valueAxis]: share
          ? { min: 0, max: 1, ticks: { callback: (v: string | number) => percent(Number(v)) } }
          : { beginAtZero: true, ticks: { precision: 0 } },
      },
      plugins: {
        legend: { display: series.datasets.length > 1 },
        tooltip: { callbacks: { label: (ctx) => (share ? percent(Number(ctx.raw)) : String(ctx.raw)) } },
      },
    },
  };
}

function drawAll(): void {
  for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]'))) {
    const series = JSON.parse(canvas.dataset.series ?? 'null') as ChartSeries | null;
    if (!series) continue;
    const chart = new Chart(canvas, chartConfig(series));
    const button = document.querySelector<HTMLButtonElement>(`button[data-png-for="${canvas.id}"]`);
    if (button) {
      button.hidden = false;
      button.addEventListener('click', () => {
        const link = document.createElement('a');
        link.href = chart.toBase64Image('image/png', 1);
        link.download = `${canvas.id}.png`;
        link.click();
      });
    }
  }
}

drawAll();

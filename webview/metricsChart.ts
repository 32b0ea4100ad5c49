// One metrics chart on the page: a uPlot canvas with its live legend, the deployments drawn as
// vertical markers on the time axis (their commit shown on hover), and keyboard access (the plot
// is focusable; arrow keys move the cursor step by step and a live region reads the values).
import uPlot from 'uplot';
import type { DeploymentMark } from '../protocol/metrics';
import type { ChartPalette } from './metricsColors';
import { deploymentLabel, latestIndex, type ChartModel } from './metricsModel';
import { axisTime, formatTime } from './metricsTableModel';
import { h } from './dom';

const HEIGHT = 170;
/** How near (CSS px) the cursor must come to a marker to show its deployment. */
const MARKER_REACH = 6;

export interface ChartInput {
  model: ChartModel;
  deployments: DeploymentMark[];
  from: number;
  to: number;
  palette: ChartPalette;
}

export class MetricsChart {
  readonly root: HTMLElement;
  private readonly plotBox: HTMLElement;
  private readonly live: HTMLElement;
  /** The deployment whose marker the cursor is at. */
  private readonly tip: HTMLElement;
  private plot: uPlot | undefined;
  private input: ChartInput;
  private index = -1;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(input: ChartInput) {
    this.input = input;
    const id = `chart-${input.model.id}`;
    const summary = h('p', { id: `${id}-summary`, className: 'visually-hidden' });
    this.plotBox = h('div', {
      className: 'plot',
      attrs: {
        tabindex: '0',
        role: 'group',
        'aria-label': `${input.model.title}: use the left and right arrow keys to read each step`,
        'aria-describedby': summary.id,
      },
    });
    this.live = h('p', { className: 'visually-hidden', attrs: { 'aria-live': 'polite' } });
    // Under the chart, not over it: an overlay would hide the very numbers around the release.
    // It keeps its line when empty, so the charts below do not jump as the cursor moves.
    this.tip = h('p', { className: 'marker-note' });
    this.root = h(
      'section',
      { id, className: 'chart' },
      h('h2', { text: input.model.title }),
      summary,
      this.plotBox,
      this.tip,
      this.live,
    );
    this.plotBox.addEventListener('keydown', (e) => this.key(e));
    this.plotBox.addEventListener('blur', () => (this.index = -1));
    this.resize.observe(this.plotBox);
    this.update(input);
  }

  /** New numbers for the same chart: the canvas is kept (and with it focus), only its data set. */
  update(input: ChartInput): void {
    const palette = this.input.palette;
    this.input = input;
    const summary = this.root.querySelector(`#chart-${input.model.id}-summary`);
    if (summary) summary.textContent = input.model.summary;
    if (input.model.unavailable !== undefined) return this.showUnavailable(input.model.unavailable);
    const data = [input.model.xs, ...input.model.series.map((s) => s.values)] as uPlot.AlignedData;
    if (this.plot && palette === input.palette) {
      // Scales reset from their range functions: the window slides with every refresh.
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.plotBox.replaceChildren();
    this.plot = new uPlot(this.options(), data, this.plotBox);
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.root.remove();
  }

  private showUnavailable(message: string): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.plotBox.replaceChildren(h('p', { className: 'unavailable', text: message }));
  }

  private width(): number {
    return Math.max(240, Math.floor(this.plotBox.clientWidth || 600));
  }

  private fit(): void {
    if (this.plot && Math.abs(this.plot.width - this.width()) > 1)
      this.plot.setSize({ width: this.width(), height: HEIGHT });
  }

  private options(): uPlot.Options {
    const { model, palette } = this.input;
    const axis = (values: uPlot.Axis['values'], extra: uPlot.Axis = {}): uPlot.Axis => ({
      stroke: palette.text,
      grid: { stroke: palette.grid, width: 1, dash: palette.gridDash },
      ticks: { stroke: palette.grid, width: 1 },
      values,
      ...extra,
    });
    const span = () => this.input.to - this.input.from;
    const zone = localZone();
    const step = (model.xs[1] ?? 0) - (model.xs[0] ?? 0);
    return {
      width: this.width(),
      height: HEIGHT,
      scales: {
        x: { time: true, range: () => [this.input.from, this.input.to] },
        // Rates, durations and usage start at zero: a flat line near zero must look near zero.
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        axis((_u, splits) => splits.map((v) => axisTime(v, span(), zone)), {
          space: span() > 86_400 ? 100 : 60,
        }),
        axis((_u, splits) => splits.map((v) => model.format(v)), { size: 80 }),
      ],
      series: [
        {
          // Off the chart the legend shows the latest step, and says so.
          value: (_u, v, _s, idx) => {
            const i = idx ?? latestIndex(model);
            const at = idx === null ? model.xs[i ?? -1] : v;
            if (at === undefined || at === null) return '';
            const time = formatTime(at, zone, step > 0 && step < 60);
            return idx === null ? `${time} (latest)` : time;
          },
        },
        ...model.series.map((s) => {
          const style = palette.series[s.color];
          return {
            label: s.label,
            stroke: style.stroke,
            width: style.width,
            dash: style.dash,
            spanGaps: false,
            points: { show: false },
            value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => {
              const i = idx ?? latestIndex(model);
              return i === undefined ? '' : model.format(idx === null ? (s.values[i] ?? null) : v);
            },
          };
        }),
      ],
      cursor: {
        sync: { key: 'railyard-metrics' },
        points: { size: 7 },
        drag: { x: false, y: false },
      },
      legend: { live: true },
      plugins: [this.markers()],
    };
  }

  /** The deployments as dashed vertical lines, and the one under the cursor named in a tip. */
  private markers(): uPlot.Plugin {
    const draw = (u: uPlot) => {
      const { ctx, bbox } = u;
      ctx.save();
      ctx.strokeStyle = this.input.palette.marker;
      ctx.fillStyle = this.input.palette.marker;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
      for (const d of this.input.deployments) {
        const x = Math.round(u.valToPos(d.ts, 'x', true));
        if (x < bbox.left || x > bbox.left + bbox.width) continue;
        ctx.beginPath();
        ctx.moveTo(x, bbox.top);
        ctx.lineTo(x, bbox.top + bbox.height);
        ctx.stroke();
        // A small flag at the top, so a marker reads as one even where a series runs along it.
        const s = 5 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x - s, bbox.top);
        ctx.lineTo(x + s, bbox.top);
        ctx.lineTo(x, bbox.top + s);
        ctx.fill();
      }
      ctx.restore();
    };
    const hover = (u: uPlot) => {
      const left = u.cursor.left ?? -1;
      const near = left < 0 ? undefined : this.nearestDeployment(u, left);
      if (!near) return this.tip.replaceChildren();
      const text = `${formatTime(near.ts, localZone()).slice(5)} ${deploymentLabel(near)}`;
      this.tip.replaceChildren(h('span', { className: 'flag', text: '▼ ' }), text);
    };
    return { hooks: { draw: [draw], setCursor: [hover] } };
  }

  private nearestDeployment(u: uPlot, left: number): DeploymentMark | undefined {
    let best: DeploymentMark | undefined;
    let distance = MARKER_REACH;
    for (const d of this.input.deployments) {
      const dx = Math.abs(u.valToPos(d.ts, 'x') - left);
      if (dx <= distance) [best, distance] = [d, dx];
    }
    return best;
  }

  /** Left/Right step through the samples, Home/End jump: the legend and live region follow. */
  private key(e: KeyboardEvent): void {
    const u = this.plot;
    const xs = this.input.model.xs;
    if (!u || !xs.length) return;
    const moves: Record<string, number> = {
      ArrowLeft: Math.max(0, this.index - 1),
      ArrowRight: Math.min(xs.length - 1, this.index + 1),
      Home: 0,
      End: xs.length - 1,
    };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.index = this.index < 0 && e.key === 'ArrowLeft' ? xs.length - 1 : next;
    const x = xs[this.index]!;
    u.setCursor({ left: u.valToPos(x, 'x'), top: u.over.clientHeight / 2 });
    this.live.textContent = this.readout(this.index);
  }

  private readout(i: number): string {
    const { model, deployments } = this.input;
    const x = model.xs[i]!;
    const values = model.series.map((s) => `${s.label} ${model.format(s.values[i] ?? null)}`);
    const step = (model.xs[1] ?? x) - (model.xs[0] ?? x) || 0;
    const deployed = deployments.filter((d) => d.ts >= x && d.ts < x + Math.max(step, 1));
    return [formatTime(x, localZone()), values.join(', '), ...deployed.map(deploymentLabel)].join(
      '. ',
    );
  }
}

/** The time zone the page writes times in: the machine's, as uPlot's axis does. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

// The metrics page: its controls (range buttons, the Table toggle), the four charts or the table,
// the deployments in the range, and what it tells the extension. It keeps only what it was last
// sent and which range and view the user chose (also in setState, for a restored panel).
import { METRICS_RANGES, type MetricsRange, type ServiceMetrics } from '../protocol/metrics';
import type { FromMetricsPanel, MetricsMemento, ToMetricsPanel } from '../protocol/metricsPanel';
import { PART_WORDS, RANGE_WORDS, stepWords } from '../protocol/metricsWords';
import { h, setAttr, setText, show } from './dom';
import { chartPalette, themeKindOf, type ChartPalette } from './metricsColors';
import { localZone, MetricsChart } from './metricsChart';
import { chartModels, deploymentLabel, deploymentsInWindow } from './metricsModel';
import { formatTime, metricsTable } from './metricsTableModel';

export interface MetricsVsCodeApi {
  postMessage(message: FromMetricsPanel): void;
  getState(): unknown;
  setState(state: MetricsMemento): void;
}

export class MetricsApp {
  private subject: MetricsMemento | undefined;
  private metrics: ServiceMetrics | undefined;
  private palette: ChartPalette = this.readPalette();
  private readonly charts = new Map<string, MetricsChart>();
  private readonly heading = h('h1', { text: 'Metrics' });
  private readonly status = h('p', { className: 'status', attrs: { 'aria-live': 'polite' } });
  private readonly error = h('p', { className: 'error', attrs: { role: 'alert' } });
  private readonly ranges = new Map<MetricsRange, HTMLButtonElement>();
  private readonly tableToggle = h('button', {
    text: 'Table',
    attrs: { type: 'button', 'aria-pressed': 'false', title: 'Show the numbers as a table' },
  });
  private readonly chartBox = h('div', { id: 'charts' });
  private readonly deployList = h('ul', { className: 'deployments' });
  private readonly tableBox = h('div', { id: 'table', className: 'table-box' });

  constructor(
    private readonly vscode: MetricsVsCodeApi,
    private readonly main: HTMLElement,
  ) {
    this.main.append(this.skeleton());
    this.tableToggle.addEventListener('click', () => this.setTable(!this.subject?.table));
    show(this.error, false);
  }

  receive(message: ToMetricsPanel): void {
    switch (message.type) {
      case 'subject':
        this.subject = message.subject;
        this.vscode.setState(message.subject);
        break;
      case 'metrics':
        // An answer for a range the user has since left is dropped: the next one is on its way.
        if (this.subject && message.metrics.range !== this.subject.range) return;
        this.metrics = message.metrics;
        show(this.error, false);
        break;
      case 'loading':
        setAttr(this.main, 'aria-busy', message.loading ? 'true' : false);
        return;
      case 'error':
        setText(this.error, message.message);
        show(this.error, true);
        return;
    }
    this.draw();
  }

  /** The theme changed: every chart is drawn anew in its colours. */
  retheme(): void {
    this.palette = this.readPalette();
    this.draw();
  }

  private skeleton(): HTMLElement {
    const group = h('div', {
      className: 'controls',
      attrs: { role: 'group', 'aria-label': 'Time range and view' },
    });
    for (const range of METRICS_RANGES) {
      const button = h('button', {
        text: range,
        attrs: { type: 'button', 'aria-pressed': 'false', title: `Show ${RANGE_WORDS[range]}` },
      });
      button.addEventListener('click', () => this.setRange(range));
      this.ranges.set(range, button);
      group.append(button);
    }
    group.append(h('span', { className: 'separator', attrs: { 'aria-hidden': 'true' } }));
    group.append(this.tableToggle);
    const deployments = h(
      'section',
      { className: 'deployments-box' },
      h('h2', { text: 'Deployments in this range' }),
      this.deployList,
    );
    return h(
      'div',
      {},
      h('header', {}, this.heading, this.status),
      group,
      this.error,
      this.chartBox,
      this.tableBox,
      deployments,
    );
  }

  private setRange(range: MetricsRange): void {
    if (!this.subject || this.subject.range === range) return;
    this.subject = { ...this.subject, range };
    this.vscode.setState(this.subject);
    this.vscode.postMessage({ type: 'range', range });
    this.draw();
  }

  private setTable(table: boolean): void {
    if (!this.subject) return;
    this.subject = { ...this.subject, table };
    this.vscode.setState(this.subject);
    this.vscode.postMessage({ type: 'view', table });
    this.draw();
  }

  private draw(): void {
    const s = this.subject;
    for (const [range, button] of this.ranges)
      setAttr(button, 'aria-pressed', String(s?.range === range));
    setAttr(this.tableToggle, 'aria-pressed', String(!!s?.table));
    const m = this.metrics && s && this.metrics.range === s.range ? this.metrics : undefined;
    if (!m || !s) {
      setText(this.status, s ? `Reading ${RANGE_WORDS[s.range]} from Railway…` : 'Loading…');
      return;
    }
    setText(this.heading, `${m.serviceName} in ${m.environmentName}`);
    // The window drawn, for the tests to ask Railway (the simulator) the same question.
    setAttr(this.main, 'data-range', m.range);
    setAttr(this.main, 'data-from', String(m.from));
    setAttr(this.main, 'data-to', String(m.to));
    setAttr(this.main, 'data-step', String(m.stepSeconds));
    setText(this.status, statusLine(m));
    show(this.chartBox, !s.table);
    show(this.tableBox, s.table);
    const charts = s.table ? 0 : this.drawCharts(m);
    const rows = s.table ? this.drawTable(m) : 0;
    this.drawDeployments(m);
    this.vscode.postMessage({
      type: 'rendered',
      range: m.range,
      table: s.table,
      charts,
      rows,
      unavailable: m.unavailable.map((u) => u.part),
      fetchedAt: m.fetchedAt,
    });
  }

  private drawCharts(m: ServiceMetrics): number {
    const deployments = deploymentsInWindow(m);
    for (const model of chartModels(m)) {
      const input = { model, deployments, from: m.from, to: m.to, palette: this.palette };
      const chart = this.charts.get(model.id);
      if (chart) chart.update(input);
      else {
        const created = new MetricsChart(input);
        this.charts.set(model.id, created);
        this.chartBox.append(created.root);
      }
    }
    return this.charts.size;
  }

  private drawTable(m: ServiceMetrics): number {
    const t = metricsTable(m, localZone());
    const head = h(
      'tr',
      {},
      ...t.headers.map((text) => h('th', { text, attrs: { scope: 'col' } })),
    );
    const body = t.rows.map((row, i) =>
      h(
        'tr',
        { attrs: { 'data-ts': String(t.times[i]) } },
        h('th', { text: row[0] ?? '', attrs: { scope: 'row' } }),
        ...row.slice(1).map((text) => h('td', { text })),
      ),
    );
    const table = h(
      'table',
      {},
      h('caption', { text: t.caption }),
      h('thead', {}, head),
      h('tbody', {}, ...body),
    );
    this.tableBox.replaceChildren(table);
    return t.rows.length;
  }

  private drawDeployments(m: ServiceMetrics): void {
    const items = deploymentsInWindow(m).map((d) =>
      h('li', {
        text: `${formatTime(d.ts, localZone())}: ${deploymentLabel(d)}`,
        attrs: { 'data-ts': String(d.ts) },
      }),
    );
    if (!items.length) items.push(h('li', { text: `None in ${RANGE_WORDS[m.range]}.` }));
    this.deployList.replaceChildren(...items);
  }

  private readPalette(): ChartPalette {
    const style = getComputedStyle(document.body);
    return chartPalette(themeKindOf([...document.body.classList]), (name) =>
      style.getPropertyValue(name),
    );
  }
}

/** "The last hour, a point every 30 seconds · read from Railway at 10:24:30", and what is missing. */
function statusLine(m: ServiceMetrics): string {
  const fetched = formatTime(Math.floor(Date.parse(m.fetchedAt) / 1000), localZone(), true);
  const missing = m.unavailable.length
    ? ` · Railway did not answer for ${m.unavailable.map((u) => PART_WORDS[u.part]).join(', ')}`
    : '';
  const range = RANGE_WORDS[m.range];
  return `${range[0]!.toUpperCase()}${range.slice(1)}, a point every ${stepWords(m.stepSeconds)} · read from Railway at ${fetched.slice(11)}${missing}`;
}

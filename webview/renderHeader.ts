// The panel's header: the read-only banner, the title, the pipeline "kars-dev @ 1a2b3c4 →
// kars-prod @ 9f8e7d6" with the commits ahead, the deploy window, the strategy and the badges.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import {
  headerModel,
  phaseOf,
  readOnlyText,
  type HeaderModel,
  type WindowInfo,
} from './panelModel';
import type { View } from './panelView';
import { byId, custom, h, rebuild, setAttr, setText, show } from './dom';
import { icon, stateMark, syncStateMark } from './controls';

export function createHeader(): HTMLElement {
  return h(
    'header',
    { id: 'header' },
    h('div', { id: 'read-only', className: 'banner', attrs: { role: 'status' } }),
    h(
      'div',
      { className: 'title-row' },
      h('h1', { id: 'title' }),
      h('span', { id: 'state-badge' }),
    ),
    // One picture with one name: the boxes and the arrow are hidden from screen readers.
    h('div', { id: 'pipeline', attrs: { role: 'img' } }),
    h('ul', { id: 'facts', className: 'facts', attrs: { 'aria-label': 'About this promotion' } }),
    h('p', { id: 'summary', className: 'summary' }),
    h('div', { className: 'error-slot', attrs: { 'data-anchor': 'header' } }),
  );
}

export function renderHeader(root: HTMLElement, view: View): void {
  const banner = byId(root, 'read-only');
  const text = readOnlyText(view.state);
  show(banner, text !== undefined);
  setText(banner, text ?? '');
  setAttr(banner, 'data-reason', view.state.readOnly);
  const record = view.record;
  for (const id of ['title', 'state-badge', 'pipeline', 'facts', 'summary'])
    show(byId(root, id), !!record);
  if (!record) return;
  const m = headerModel(record);
  setText(byId(root, 'title'), m.title);
  renderState(byId(root, 'state-badge'), m);
  renderPipeline(byId(root, 'pipeline'), m);
  renderFacts(byId(root, 'facts'), m);
  // The outcome says the summary in big letters; the header keeps it for the steps before.
  const summary = byId(root, 'summary');
  show(summary, phaseOf(view.state) !== 'outcome' && record.state !== 'rolling-back');
  setText(summary, record.summary);
}

function renderPipeline(el: HTMLElement, m: HeaderModel): void {
  const at = (env: HeaderModel['from']) => `${env.name}${env.commit ? ` at ${env.commit}` : ''}`;
  setAttr(el, 'aria-label', `${at(m.from)} into ${at(m.to)}${m.ahead ? `, ${m.ahead}` : ''}`);
  rebuild(el, JSON.stringify([m.from, m.to, m.ahead]), () => [
    envBox(m.from, 'from'),
    h(
      'span',
      { className: 'arrow', attrs: { 'aria-hidden': 'true' } },
      h('span', { className: 'ahead', text: m.ahead ?? '' }),
      h('span', { className: 'line' }),
      icon('arrow-right'),
    ),
    envBox(m.to, 'to'),
  ]);
}

function envBox(env: HeaderModel['from'], side: string): HTMLElement {
  return h(
    'span',
    { className: `env ${side}`, attrs: { 'aria-hidden': 'true' } },
    h('span', { className: 'env-name', text: env.name }),
    h('span', { className: 'at', text: ' @ ' }),
    h('code', { className: 'sha', text: env.commit ?? '…' }),
  );
}

function renderFacts(el: HTMLElement, m: HeaderModel): void {
  rebuild(el, JSON.stringify([m.window, m.strategy, m.protected]), () => [
    ...(m.window
      ? [fact('Deploy window', windowText(m.window), m.window.open === false ? 'warn' : undefined)]
      : []),
    fact('Strategy', m.strategy),
    ...(m.protected ? [protectedBadge()] : []),
  ]);
}

function renderState(el: HTMLElement, m: HeaderModel): void {
  const mark = el.firstElementChild as HTMLElement | null;
  if (mark) syncStateMark(mark, m.state);
  else el.append(stateMark(m.state, 'badge'));
  setAttr(el, 'aria-label', `State: ${m.state.word}`);
}

/** "Mon–Fri 10:00–12:00 Europe/Paris: closed now, next opens Mon 7 Dec 10:00 Europe/Paris" */
export function windowText(w: WindowInfo): string {
  if (w.open === true) return `${w.text}: open now`;
  if (w.open === undefined) return w.text;
  const next = w.next ? `, next opens ${w.next}` : '';
  return `${w.text}: closed now${w.override ? ` (${w.override})` : next}`;
}

function fact(label: string, text: string, tone?: string): HTMLElement {
  return h(
    'li',
    { className: `fact${tone ? ` tone-${tone}` : ''}` },
    h('span', { className: 'fact-label', text: `${label}: ` }),
    h('span', { text }),
  );
}

/** Said in words: a protected target asks for its name to be typed. */
function protectedBadge(): HTMLElement {
  const badge = custom('vscode-badge', { text: 'protected' });
  return h('li', { className: 'protected' }, icon('shield'), badge);
}

// During the run: the steps' timeline with live elapsed times, each service of the target with its
// deployment's status (and "Open full log"), Deploy-missing when Railway never started one, and
// the tail of the build and deploy logs, grouped by service. Log text is set as text, never HTML.
import { logGroups, type LogGroup } from './logTail';
import {
  deployMissingOffer,
  logKindFor,
  serviceRows,
  stepRows,
  type ServiceRow,
  type StepRow,
} from './runModel';
import type { PanelHost, View } from './panelView';
import { byId, h, rebuild, setAttr, setText, show, syncKeyed } from './dom';
import { button, link, stateMark, syncButton, syncStateMark, type VscodeButton } from './controls';
import { phaseOf } from './panelModel';
import { plural } from './panelWords';

export function createRun(host: PanelHost): HTMLElement {
  const deployMissing = button('Deploy it', () => host.send({ type: 'deploy-missing' }), {
    id: 'deploy-missing',
    icon: 'rocket',
    secondary: true,
    ariaLabel: 'Deploy the merge commit where Railway has not started it',
  });
  return h(
    'section',
    { id: 'run', attrs: { 'aria-labelledby': 'run-title' } },
    h('h2', { id: 'run-title', text: 'Progress' }),
    h('ol', { id: 'timeline', className: 'timeline' }),
    h('h3', { id: 'services-title', text: 'Services' }),
    h('ul', {
      id: 'services',
      className: 'services',
      attrs: { 'aria-labelledby': 'services-title' },
    }),
    h(
      'p',
      { id: 'deploy-missing-row', className: 'notice' },
      h('span', { id: 'deploy-missing-text' }),
      deployMissing,
    ),
    h('div', { className: 'error-slot', attrs: { 'data-anchor': 'services' } }),
    h('h3', { id: 'logs-title', text: 'Logs' }),
    h('div', { id: 'logs', className: 'logs', attrs: { 'aria-labelledby': 'logs-title' } }),
  );
}

export function renderRun(root: HTMLElement, view: View, host: PanelHost): void {
  const record = view.record;
  const section = byId(root, 'run');
  const started =
    !!record &&
    (phaseOf(view.state) !== 'gates' || record.steps.some((s) => s.state !== 'pending'));
  show(section, started && (record.steps.length > 0 || record.services.length > 0));
  if (!record || section.hidden) return;
  syncKeyed(
    byId(root, 'timeline'),
    stepRows(record, view.ctx.now),
    (s) => s.id,
    (s) => stepRow(s),
    (el, s) => updateStep(el, s, host),
  );
  const services = serviceRows(record);
  show(byId(root, 'services-title'), services.length > 0);
  const lastKind = new Map(view.logs.map((l) => [l.serviceId, l.kind]));
  syncKeyed(
    byId(root, 'services'),
    services,
    (s) => s.id,
    (s) => serviceRow(s, host),
    (el, s) => updateService(el, s, lastKind.get(s.id)),
  );
  const offer = deployMissingOffer(record, view.ctx);
  show(byId(root, 'deploy-missing-row'), offer !== undefined);
  setText(byId(root, 'deploy-missing-text'), offer ? `${offer} If its webhook was lost: ` : '');
  syncButton(byId<VscodeButton>(root, 'deploy-missing'), {
    disabled: false,
    busy: view.ctx.busy.has('deploy-missing'),
  });
  renderLogs(root, view);
}

function stepRow(s: StepRow): HTMLElement {
  return h(
    'li',
    { className: 'step', attrs: { 'data-step': s.id } },
    stateMark(s.look),
    h('span', { className: 'step-title', text: s.title }),
    h('span', { className: 'elapsed muted' }),
    h('div', { className: 'step-detail' }),
  );
}

function updateStep(el: HTMLElement, s: StepRow, host: PanelHost): void {
  setAttr(el, 'data-state', s.state);
  syncStateMark(el.querySelector<HTMLElement>('.mark')!, s.look);
  setText(el.querySelector('.elapsed')!, s.elapsed);
  const detail = el.querySelector<HTMLElement>('.step-detail')!;
  show(detail, !!s.detail || s.links.length > 0);
  rebuild(detail, JSON.stringify([s.detail, s.links]), () => [
    ...(s.detail ? [h('span', { text: s.detail })] : []),
    ...s.links.flatMap((l) => [h('span', { text: ' ' }), link(l.text, l.url, host)]),
  ]);
}

function serviceRow(s: ServiceRow, host: PanelHost): HTMLElement {
  const open = button(
    'Open full log',
    () =>
      host.send({
        type: 'open-logs',
        serviceId: s.id,
        kind: open.dataset.kind === 'build' ? 'build' : 'deploy',
      }),
    {
      icon: 'output',
      secondary: true,
      ariaLabel: `Open the full log of ${s.name}`,
    },
  );
  open.classList.add('open-log');
  return h(
    'li',
    { className: 'service', attrs: { 'data-service': s.id } },
    h('span', { className: 'service-name', text: s.name }),
    h('span', { className: 'status' }),
    open,
    h('div', { className: 'service-detail' }),
    h('div', { className: 'service-facts muted' }),
  );
}

function updateService(
  el: HTMLElement,
  s: ServiceRow,
  lastKind: 'build' | 'deploy' | undefined,
): void {
  setAttr(el, 'data-status', s.status);
  const status = el.querySelector<HTMLElement>('.status')!;
  setText(status, s.statusText);
  status.className = `status tone-${toneOfStatus(s.status)}`;
  setText(el.querySelector('.service-detail')!, s.detail ?? '');
  setText(el.querySelector('.service-facts')!, s.facts);
  const open = el.querySelector<HTMLElement>('.open-log')!;
  open.dataset.kind = logKindFor(s.status === 'none' ? undefined : s.status, lastKind);
}

function toneOfStatus(status: string): string {
  if (status === 'SUCCESS' || status === 'SLEEPING') return 'ok';
  if (['FAILED', 'CRASHED', 'REMOVED', 'REMOVING'].includes(status)) return 'bad';
  if (status === 'NEEDS_APPROVAL' || status === 'WAITING' || status === 'SKIPPED') return 'warn';
  return status === 'none' ? 'muted' : 'busy';
}

function renderLogs(root: HTMLElement, view: View): void {
  const names = new Map(view.record?.services.map((s) => [s.id, s.name]) ?? []);
  const groups = logGroups(view.logs, names);
  show(byId(root, 'logs-title'), groups.length > 0);
  syncKeyed(byId(root, 'logs'), groups, (g) => g.serviceId, logGroup, updateLogGroup);
}

function logGroup(g: LogGroup): HTMLElement {
  return h(
    'section',
    { className: 'log-group', attrs: { 'data-log': g.serviceId } },
    h('h4', { className: 'log-name' }),
    h('ol', { className: 'log-lines', attrs: { tabindex: '0' } }),
  );
}

function updateLogGroup(el: HTMLElement, g: LogGroup): void {
  const title = el.querySelector('.log-name')!;
  setText(title, `${g.name} (last ${plural(g.lines.length, 'line')})`);
  const list = el.querySelector<HTMLElement>('.log-lines')!;
  setAttr(list, 'aria-label', `${g.name}: the latest log lines`);
  const last = g.lines.at(-1)?.text ?? '';
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  rebuild(list, `${g.lines.length}|${last}|${g.lines[0]?.text ?? ''}`, () =>
    g.lines.map((l) =>
      h(
        'li',
        { className: `log-line ${l.kind}${l.severity ? ` sev-${l.severity}` : ''}` },
        // Said in words too, not by colour alone.
        ...severityMark(l.severity),
        document.createTextNode(l.text),
      ),
    ),
  );
  // Follow the tail unless the reader scrolled up to look at something.
  if (stick) list.scrollTop = list.scrollHeight;
}

/** "error " / "warning " before a line Railway marked so; nothing for the rest. */
function severityMark(severity: string | undefined): Node[] {
  const s = severity ?? '';
  const word = s.startsWith('err') ? 'error' : s.startsWith('warn') ? 'warning' : '';
  return word ? [h('span', { className: 'sev', text: `${word} ` })] : [];
}

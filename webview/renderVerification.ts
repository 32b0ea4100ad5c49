// Production's numbers after a success, drawn under the outcome: the verdict, its sentence, and per
// service a real table of before → after figures (caption and headers for screen readers), the
// crossed figures marked in words as well as colour. Text only, never HTML.
import { verificationModel, type ServiceVerification } from './verificationModel';
import type { View } from './panelView';
import { byId, h, rebuild, setAttr, setText, show } from './dom';
import { stateMark, syncStateMark } from './controls';

export function createVerification(): HTMLElement {
  return h(
    'section',
    { id: 'verification', attrs: { 'aria-labelledby': 'verification-title' } },
    h(
      'h2',
      { id: 'verification-title' },
      stateMark({ icon: 'loading', word: '', tone: 'busy' }),
      h('span', { className: 'verification-heading' }),
    ),
    h('p', { id: 'verification-summary', className: 'verification-summary' }),
    h('div', { id: 'verification-services', className: 'verification-services' }),
  );
}

export function renderVerification(root: HTMLElement, view: View): void {
  const section = byId(root, 'verification');
  // A rollback it caused keeps the figures in view: they are why production changed again.
  const shown = ['succeeded', 'rolling-back', 'rolled-back'];
  const v = view.record && shown.includes(view.record.state) ? view.record.verification : undefined;
  show(section, !!v);
  if (!v) return;
  const m = verificationModel(v);
  setAttr(section, 'data-state', v.state);
  syncStateMark(section.querySelector('h2 .mark')!, m.look);
  setText(section.querySelector('.verification-heading')!, m.heading);
  setText(byId(root, 'verification-summary'), m.summary);
  rebuild(byId(root, 'verification-services'), JSON.stringify(m.services), () =>
    m.services.filter((s) => s.rows.length > 0).map(serviceTable),
  );
}

function serviceTable(s: ServiceVerification): HTMLElement {
  const head = h(
    'tr',
    {},
    h('th', { text: 'Figure', attrs: { scope: 'col' } }),
    h('th', { text: 'Before', attrs: { scope: 'col' } }),
    h('th', { text: 'After', attrs: { scope: 'col' } }),
  );
  const rows = s.rows.map((r) =>
    h(
      'tr',
      { className: r.flagged ? 'flagged' : '' },
      h('th', { text: r.label, attrs: { scope: 'row' } }),
      h('td', { text: r.before }),
      h('td', { text: r.flagged ? `${r.after} (regressed)` : r.after }),
    ),
  );
  return h(
    'div',
    { className: 'verification-service', attrs: { 'data-service': s.name } },
    h(
      'table',
      {},
      h('caption', {}, stateMark(s.look), h('span', { text: ` ${s.name}` })),
      h('thead', {}, head),
      h('tbody', {}, ...rows),
    ),
    ...s.reasons.map((r) => h('p', { className: 'verification-reason', text: r })),
  );
}

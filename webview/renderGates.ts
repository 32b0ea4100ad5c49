// The checklist: every gate in the engine's order with its state in an icon and a word, its detail
// and evidence, an override when one stands in, a Re-check, and the controls a gate offers (QA
// sign-off, the two override reasons, take-over, reapply reverts, back-merge). Rows are keyed by
// gate id and kept, so a reason being typed survives every record that streams in.
import type { GateId, GateResult, PromotionRecord } from '../protocol/promotion';
import {
  canRecheck,
  controlShown,
  gateOf,
  gateRows,
  gatesSummary,
  phaseOf,
  reapplyOffered,
  reasonProblem,
  signOffModel,
  type GateRowModel,
} from './panelModel';
import type { PanelHost, View } from './panelView';
import { byId, h, rebuild, setAttr, setText, show, syncKeyed } from './dom';
import {
  button,
  checkbox,
  flagBox,
  link,
  srOnly,
  stateMark,
  syncButton,
  syncCheckbox,
  syncField,
  syncStateMark,
  textField,
  type Field,
  type VscodeButton,
  type VscodeCheckbox,
} from './controls';

export function createGates(host: PanelHost): HTMLElement {
  const recheck = button('Re-check', () => host.send({ type: 'recheck' }), {
    id: 'recheck',
    icon: 'sync',
    secondary: true,
    ariaLabel: 'Re-check every gate',
  });
  return h(
    'section',
    { id: 'checklist', attrs: { 'aria-labelledby': 'checklist-title' } },
    h(
      'div',
      { className: 'section-head' },
      h('h2', { id: 'checklist-title', text: 'Checklist' }),
      h('span', { id: 'gates-summary', className: 'muted' }),
      recheck,
    ),
    h('div', { className: 'error-slot', attrs: { 'data-anchor': 'gates' } }),
    h('ol', { id: 'gates', className: 'gates' }),
  );
}

export function renderGates(root: HTMLElement, view: View, host: PanelHost): void {
  const section = byId(root, 'checklist');
  const record = view.record;
  show(section, !!record && record.gates.length > 0);
  if (!record) return;
  setText(byId(root, 'gates-summary'), gatesSummary(record));
  const recheck = byId<VscodeButton>(root, 'recheck');
  show(recheck, phaseOf(view.state) === 'gates');
  syncButton(recheck, {
    disabled: !canRecheck(record, view.ctx),
    busy: view.ctx.busy.has('recheck'),
  });
  syncKeyed(
    byId(root, 'gates'),
    gateRows(record, view.ctx),
    (g) => g.id,
    (g) => createRow(g, host),
    (el, g) => updateRow(el, g, view, host),
  );
}

function createRow(g: GateRowModel, host: PanelHost): HTMLElement {
  const recheck = button('Re-check', () => host.send({ type: 'recheck', gate: g.id }), {
    secondary: true,
    ariaLabel: `Re-check ${g.title}`,
  });
  recheck.classList.add('recheck-one');
  return h(
    'li',
    { className: 'gate', attrs: { 'data-gate': g.id } },
    stateMark(g.look),
    h(
      'div',
      { className: 'gate-body' },
      h(
        'div',
        { className: 'gate-head' },
        h('span', { className: 'gate-title' }),
        h('span', { className: 'gate-level muted' }),
        recheck,
      ),
      h('p', { className: 'gate-detail' }),
      h('ul', { className: 'evidence' }),
      h('p', { className: 'override' }),
      createControls(g.id, host),
      h('div', { className: 'error-slot', attrs: { 'data-anchor': anchorOf(g.id) } }),
    ),
  );
}

function anchorOf(id: GateId): string {
  if (id === 'qa-signoff') return 'sign-off';
  if (id === 'divergence') return 'divergence';
  return `gate-${id}`;
}

function updateRow(el: HTMLElement, g: GateRowModel, view: View, host: PanelHost): void {
  setAttr(el, 'data-state', g.state);
  setAttr(el, 'data-overridden', g.override ? 'true' : undefined);
  syncStateMark(el.querySelector<HTMLElement>('.mark')!, g.look);
  setText(el.querySelector('.gate-title')!, g.title);
  setText(el.querySelector('.gate-level')!, g.level ? `(${g.level})` : '');
  setText(el.querySelector('.gate-detail')!, g.detail);
  const recheck = el.querySelector<VscodeButton>('.recheck-one')!;
  show(recheck, !!g.recheck);
  syncButton(recheck, { disabled: !g.recheck?.enabled });
  renderEvidence(el.querySelector('.evidence')!, g, host);
  const override = el.querySelector<HTMLElement>('.override')!;
  show(override, !!g.override);
  setText(override, g.override ?? '');
  const record = view.record!;
  const gate = gateOf(record, g.id);
  if (gate) updateControls(el, gate, record, view);
}

function renderEvidence(ul: HTMLElement, g: GateRowModel, host: PanelHost): void {
  show(ul, g.evidence.length > 0);
  rebuild(ul, JSON.stringify(g.evidence), () =>
    g.evidence.map((e) =>
      h(
        'li',
        { className: e.flag ? `flag-${e.flag}` : '' },
        ...(e.flag ? [srOnly(e.flag === 'fail' ? 'fails: ' : 'warns: ')] : []),
        h('span', { className: 'ev-label', text: `${e.label}: ` }),
        link(e.text, e.url, host),
      ),
    ),
  );
}

/** The controls a gate can offer, made once per row; each shows only while the gate offers it. */
function createControls(id: GateId, host: PanelHost): HTMLElement {
  const box = h('div', { className: 'gate-controls' });
  const reason = (fieldId: string, label: string, key: 'overrideWindow' | 'ackBackup') =>
    textField(fieldId, label, key, host, { maxLength: 500, hint: REASON_HINT });
  const wrap = (...nodes: Node[]) =>
    h('div', { className: 'control', attrs: { hidden: '' } }, ...nodes);
  switch (id) {
    case 'qa-signoff':
      box.append(
        wrap(
          checkbox('sign-off', 'QA: sign off', (on) => {
            if (on) host.send({ type: 'sign-off' });
          }),
        ),
      );
      break;
    case 'deploy-window':
      box.append(
        wrap(
          ...fieldNodes(
            reason(
              'override-window',
              'Reason to promote outside the deploy window',
              'overrideWindow',
            ),
          ),
        ),
      );
      break;
    case 'backup':
      box.append(
        wrap(
          ...fieldNodes(
            reason(
              'ack-backup',
              'Backup acknowledgement: how the database was backed up',
              'ackBackup',
            ),
          ),
        ),
      );
      break;
    case 'lock':
      box.append(
        wrap(
          ...fieldNodes(
            textField('take-over', 'Type the target’s name to take over', 'takeOver', host, {
              maxLength: 200,
            }),
          ),
        ),
      );
      break;
    case 'divergence':
      box.append(
        wrap(
          flagBox(
            'reapply-reverts',
            'Revert the reverts in this promotion, so their changes come back',
            'reapplyReverts',
            host,
          ),
        ),
        wrap(
          button('Back-merge first', () => host.send({ type: 'back-merge' }), {
            id: 'back-merge',
            icon: 'git-merge',
            secondary: true,
          }),
        ),
      );
      break;
  }
  return box;
}

const REASON_HINT = '3 to 500 characters, recorded in the audit log.';

const fields = new WeakMap<HTMLElement, Field>();

function fieldNodes(f: Field): Node[] {
  fields.set(f.wrap, f);
  return [f.wrap];
}

function updateControls(
  row: HTMLElement,
  gate: GateResult,
  record: PromotionRecord,
  view: View,
): void {
  const editable = !view.ctx.readOnly && phaseOf(view.state) === 'gates';
  const control = (id: string) =>
    row.querySelector<HTMLElement>(`#${id}`)?.closest<HTMLElement>('.control');
  const toggle = (id: string, shown: (was: boolean) => boolean) => {
    const c = control(id);
    if (c) show(c, shown(!c.hidden));
    return c;
  };
  switch (gate.id) {
    case 'qa-signoff': {
      const c = toggle(
        'sign-off',
        (was) => controlShown(gate, 'sign-off', was) || !!record.signOff || gate.state === 'pass',
      );
      if (c)
        syncCheckbox(c.querySelector<VscodeCheckbox>('#sign-off')!, signOffModel(record, view.ctx));
      break;
    }
    case 'deploy-window':
    case 'backup': {
      const [id, action, typed] =
        gate.id === 'backup'
          ? (['ack-backup', 'ack-backup', view.inputs.ackBackup] as const)
          : (['override-window', 'override-window', view.inputs.overrideWindow] as const);
      const c = toggle(id, (was) => controlShown(gate, action, was));
      if (c) syncReason(c, id, typed, editable);
      break;
    }
    case 'lock': {
      const c = toggle('take-over', (was) => controlShown(gate, 'take-over', was));
      const f = c && fieldIn(c);
      if (f)
        syncField(f, {
          value: view.inputs.takeOver,
          disabled: !editable,
          label: `Type ${record.to.name} to take over the stale promotion`,
        });
      break;
    }
    case 'divergence':
      updateDivergence(row, gate, record, view, editable);
      break;
  }
}

function fieldIn(c: HTMLElement): Field | undefined {
  const wrap = c.querySelector<HTMLElement>('.field');
  return wrap ? fields.get(wrap) : undefined;
}

/** What the typed reason does, or why it cannot be sent yet. */
const REASON_HINTS = {
  'override-window': 'Promote overrides the window with this reason, recorded in the audit log.',
  'ack-backup': 'Promote goes on without a backup, this reason recorded in the audit log.',
} as const;

function syncReason(
  c: HTMLElement,
  id: keyof typeof REASON_HINTS,
  typed: string,
  editable: boolean,
): void {
  const f = fieldIn(c);
  if (!f) return;
  const problem = reasonProblem(typed);
  const hint =
    problem === undefined
      ? REASON_HINTS[id]
      : problem === 'empty'
        ? REASON_HINT
        : `The reason ${problem}.`;
  syncField(f, {
    value: typed,
    disabled: !editable,
    hint,
    invalid: problem !== undefined && problem !== 'empty',
  });
}

function updateDivergence(
  row: HTMLElement,
  gate: GateResult,
  record: PromotionRecord,
  view: View,
  editable: boolean,
): void {
  const reapply = row
    .querySelector<HTMLElement>('#reapply-reverts')
    ?.closest<HTMLElement>('.control');
  if (reapply) {
    show(reapply, reapplyOffered(record) || (gate.state === 'pending' && !reapply.hidden));
    syncCheckbox(reapply.querySelector<VscodeCheckbox>('#reapply-reverts')!, {
      checked: view.inputs.reapplyReverts,
      disabled: !editable,
    });
  }
  const back = row.querySelector<VscodeButton>('#back-merge');
  const wrap = back?.closest<HTMLElement>('.control');
  if (!back || !wrap) return;
  show(wrap, controlShown(gate, 'back-merge', !wrap.hidden));
  syncButton(back, {
    disabled: view.ctx.readOnly || record.state !== 'gated',
    busy: view.ctx.busy.has('back-merge'),
  });
}

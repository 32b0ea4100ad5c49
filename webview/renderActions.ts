// The bar that stays at the bottom of the panel: the typed confirmation of a protected target,
// "Roll back automatically if the deploy fails", Promote (enabled only when everything is in
// place, else a sentence saying what is missing) and Cancel until the push.
import { cancelOffered, phaseOf, promoteReadiness, startMessage } from './panelModel';
import type { PanelHost, View } from './panelView';
import { byId, h, setAttr, setText, show } from './dom';
import {
  button,
  flagBox,
  syncButton,
  syncCheckbox,
  syncField,
  textField,
  type Field,
  type VscodeButton,
  type VscodeCheckbox,
} from './controls';

const LABELS = { promotion: 'Promote', 'back-merge': 'Back-merge', revert: 'Revert' } as const;

export interface Actions {
  el: HTMLElement;
  confirm: Field;
}

export function createActions(host: PanelHost, current: () => View): Actions {
  const confirm = textField('confirm', 'Type the target’s name to confirm', 'confirm', host, {
    maxLength: 200,
  });
  const promote = button(
    'Promote',
    () => {
      const record = current().record;
      if (record) host.send(startMessage(record, current().inputs));
    },
    { id: 'promote', icon: 'rocket' },
  );
  promote.setAttribute('aria-describedby', 'promote-why');
  const cancel = button('Cancel', () => host.send({ type: 'cancel' }), {
    id: 'cancel',
    icon: 'debug-stop',
    secondary: true,
  });
  const el = h(
    'footer',
    { id: 'actions', attrs: { 'aria-label': 'Promote' } },
    h(
      'div',
      { id: 'start-inputs', className: 'row' },
      confirm.wrap,
      flagBox(
        'rollback-on-failure',
        'Roll back automatically if the deploy fails',
        'rollbackOnFailure',
        host,
      ),
    ),
    h(
      'div',
      { className: 'row' },
      promote,
      cancel,
      h('p', { id: 'promote-why', attrs: { 'aria-live': 'polite' } }),
    ),
    h('div', { className: 'error-slot', attrs: { 'data-anchor': 'actions' } }),
  );
  return { el, confirm };
}

export function renderActions(root: HTMLElement, actions: Actions, view: View): void {
  const record = view.record;
  const before = phaseOf(view.state) === 'gates';
  const cancellable = !!record && cancelOffered(record);
  show(actions.el, !!record && (before || cancellable));
  if (!record) return;
  const editable = before && !view.ctx.readOnly;
  show(byId(root, 'start-inputs'), before);
  show(actions.confirm.wrap, record.protected);
  const typed = view.inputs.confirm;
  syncField(actions.confirm, {
    value: typed,
    disabled: !editable,
    label: `Type ${record.to.name} to confirm`,
    hint:
      typed === '' || typed === record.to.name
        ? `${record.to.name} is protected.`
        : `That is not ${record.to.name}.`,
    invalid: typed !== '' && typed !== record.to.name,
  });
  syncCheckbox(byId<VscodeCheckbox>(root, 'rollback-on-failure'), {
    checked: view.inputs.rollbackOnFailure,
    disabled: !editable,
  });
  const promote = byId<VscodeButton>(root, 'promote');
  const ready = promoteReadiness(record, view.inputs, view.ctx);
  show(promote, before);
  syncButton(promote, {
    disabled: !ready.enabled,
    busy: view.ctx.busy.has('start'),
    text: LABELS[record.kind],
  });
  const why = byId(root, 'promote-why');
  show(why, before);
  setText(why, ready.why);
  setAttr(why, 'data-ready', ready.enabled ? 'true' : 'false');
  const cancel = byId<VscodeButton>(root, 'cancel');
  show(cancel, cancellable);
  syncButton(cancel, { disabled: view.ctx.readOnly, busy: view.ctx.busy.has('cancel') });
}

// The panel's controls, built from @vscode-elements components (each imported alone to keep the
// bundle small): labelled buttons, reason fields and checkboxes wired to the host, links that ask
// the extension to open them, and state icons that say their state in words too.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { VscodeIcon } from '@vscode-elements/elements/dist/vscode-icon/vscode-icon.js';
import { isOpenableUrl } from '../protocol/panel';
import type { Look } from './panelWords';
import type { FlagInput, PanelHost, TextInput } from './panelView';
import { custom, h, setAttr, setText } from './dom';

export type { VscodeButton, VscodeCheckbox, VscodeTextfield };

export interface ButtonOptions {
  id?: string;
  icon?: string;
  secondary?: boolean;
  /** The accessible name when the visible text alone is ambiguous ("Re-check" of which gate). */
  ariaLabel?: string;
}

/** A button that ignores clicks while disabled (a disabled vscode-button still gets `.click()`). */
export function button(text: string, onClick: () => void, o: ButtonOptions = {}): VscodeButton {
  const b = custom<VscodeButton>('vscode-button', { ...(o.id && { id: o.id }), text });
  if (o.icon) b.icon = o.icon;
  b.dataset.icon = o.icon ?? '';
  if (o.secondary) b.secondary = true;
  if (o.ariaLabel) b.setAttribute('aria-label', o.ariaLabel);
  b.addEventListener('click', () => {
    if (!b.disabled) onClick();
  });
  return b;
}

/** Enabled or not, and busy (a turning icon) while its action is on its way. */
export function syncButton(
  b: VscodeButton,
  s: { disabled: boolean; busy?: boolean; text?: string },
) {
  if (s.text !== undefined) setText(b, s.text);
  const disabled = s.disabled || !!s.busy;
  if (b.disabled !== disabled) b.disabled = disabled;
  setAttr(b, 'aria-disabled', disabled ? 'true' : undefined);
  setAttr(b, 'aria-busy', s.busy ? 'true' : undefined);
  const icon = s.busy ? 'loading' : (b.dataset.icon ?? '');
  if (b.icon !== icon) b.icon = icon;
  if (b.iconSpin !== !!s.busy) b.iconSpin = !!s.busy;
}

export interface Field {
  wrap: HTMLElement;
  field: VscodeTextfield;
  hint: HTMLElement;
}

/** A labelled text field bound to one input; its value is only ever written while it is not focused. */
export function textField(
  id: string,
  label: string,
  key: TextInput,
  host: PanelHost,
  o: { maxLength: number; hint?: string },
): Field {
  const field = custom<VscodeTextfield>('vscode-textfield', { id });
  field.maxLength = o.maxLength;
  field.label = label;
  const labelEl = h('label', { text: label, attrs: { for: id } });
  const hint = h('div', { className: 'hint', id: `${id}-hint`, text: o.hint ?? '' });
  field.setAttribute('aria-describedby', hint.id);
  field.addEventListener('input', () => host.setInput(key, field.value));
  return { wrap: h('div', { className: 'field' }, labelEl, field, hint), field, hint };
}

export function syncField(
  f: Field,
  s: { value: string; disabled: boolean; label?: string; hint?: string; invalid?: boolean },
) {
  const { field } = f;
  // The person typing owns the value; a redraw only restores it (after a reload, say).
  if (document.activeElement !== field && field.value !== s.value) field.value = s.value;
  if (field.disabled !== s.disabled) field.disabled = s.disabled;
  if (field.invalid !== !!s.invalid) field.invalid = !!s.invalid;
  if (s.label !== undefined) {
    const labelEl = f.wrap.querySelector('label');
    if (labelEl) setText(labelEl, s.label);
    if (field.label !== s.label) field.label = s.label;
  }
  if (s.hint !== undefined) setText(f.hint, s.hint);
}

/** A labelled checkbox; `onChange` gets the new value. */
export function checkbox(
  id: string,
  label: string,
  onChange: (checked: boolean) => void,
): VscodeCheckbox {
  const cb = custom<VscodeCheckbox>('vscode-checkbox', { id });
  cb.label = label;
  cb.addEventListener('change', () => onChange(cb.checked));
  return cb;
}

/** A checkbox bound to a flag input. */
export function flagBox(
  id: string,
  label: string,
  key: FlagInput,
  host: PanelHost,
): VscodeCheckbox {
  return checkbox(id, label, (checked) => host.setInput(key, checked));
}

export function syncCheckbox(
  cb: VscodeCheckbox,
  s: { checked: boolean; disabled: boolean; label?: string },
) {
  if (cb.checked !== s.checked) cb.checked = s.checked;
  if (cb.disabled !== s.disabled) cb.disabled = s.disabled;
  setAttr(cb, 'aria-disabled', s.disabled ? 'true' : undefined);
  if (s.label !== undefined && cb.label !== s.label) cb.label = s.label;
}

/**
 * A link the extension opens (http and https only, as it checks again): the href is there for the
 * status bar and the context menu, the click is ours. Anything else reads as plain text.
 */
export function link(
  text: string,
  url: string | undefined,
  host: PanelHost,
  id?: string,
): HTMLElement {
  if (!url || url.length > 2000 || !isOpenableUrl(url))
    return h('span', { text, ...(id && { id }) });
  const a = h('a', { text, attrs: { href: url }, ...(id && { id }) });
  a.addEventListener('click', (e) => {
    e.preventDefault();
    // VS Code's webview frame opens clicked links itself from a window listener: the extension
    // opens this one (http(s) only), so the click must not reach it too, or it opens twice.
    e.stopPropagation();
    host.send({ type: 'open-url', url });
  });
  return a;
}

export function icon(name: string, spin = false): VscodeIcon {
  const i = custom<VscodeIcon>('vscode-icon');
  i.name = name;
  i.spin = spin;
  return i;
}

/** An icon and its word: a state never told by colour alone. */
export function stateMark(look: Look, className = 'mark'): HTMLElement {
  const el = h('span', { className: `${className} tone-${look.tone}` });
  syncStateMark(el, look);
  return el;
}

export function syncStateMark(el: HTMLElement, look: Look): void {
  const i = el.querySelector('vscode-icon') ?? el.appendChild(icon(look.icon));
  const word = el.querySelector('.word') ?? el.appendChild(h('span', { className: 'word' }));
  if (i.name !== look.icon) i.name = look.icon;
  if (i.spin !== !!look.spin) i.spin = !!look.spin;
  setText(word, look.word);
  el.className = `${el.className.split(' ')[0] ?? 'mark'} tone-${look.tone}`;
}

/** Text for screen readers only (a flagged evidence line's "fails:"). */
export function srOnly(text: string): HTMLElement {
  return h('span', { className: 'sr-only', text });
}

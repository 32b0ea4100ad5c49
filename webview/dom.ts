// The few DOM helpers the renderers share. Everything is built with createElement and textContent
// (daemon text is never parsed as HTML), and updated in place: an element that exists is kept, so
// a focused control or a typed value survives every state that streams in.

type Tag = keyof HTMLElementTagNameMap;

export interface Props {
  id?: string;
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function h<K extends Tag>(
  tag: K,
  props: Props = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.id) el.id = props.id;
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

/** A custom element (vscode-button…) by tag name; they register themselves on import. */
export function custom<T extends HTMLElement>(tag: string, props: Props = {}): T {
  const el = document.createElement(tag) as T;
  if (props.id) el.id = props.id;
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  return el;
}

/** Writes text only when it changed: rewriting a focused button's label would still keep focus, but this keeps the DOM quiet. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets, or removes when undefined/false, an attribute; true sets it empty. */
export function setAttr(el: Element, name: string, value: string | boolean | undefined): void {
  if (value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else {
    const text = value === true ? '' : value;
    if (el.getAttribute(name) !== text) el.setAttribute(name, text);
  }
}

export function show(el: HTMLElement, visible: boolean): void {
  if (el.hidden === visible) el.hidden = !visible;
}

/**
 * Makes `parent`'s children match `items`, keyed by `key`: an existing child is updated in place
 * and only moved when the order changed, a new one is created, a gone one removed.
 */
export function syncKeyed<T>(
  parent: Element,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => HTMLElement,
  update: (el: HTMLElement, item: T) => void,
): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(parent.children))
    if (child instanceof HTMLElement && child.dataset.key !== undefined)
      existing.set(child.dataset.key, child);
  const keep = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    keep.add(k);
    let el = existing.get(k);
    if (!el) {
      el = create(item);
      el.dataset.key = k;
    }
    update(el, item);
    const at = parent.children[i];
    if (at !== el) parent.insertBefore(el, at ?? null);
  });
  for (const [k, el] of existing) if (!keep.has(k)) el.remove();
}

const signatures = new WeakMap<Element, string>();

/**
 * Rebuilds an element's children only when what they show changed (`signature`): for small read-
 * only parts (evidence lines, a log group) where keeping each node is not worth a keyed sync.
 */
export function rebuild(el: Element, signature: string, build: () => Node[]): void {
  if (signatures.get(el) === signature) return;
  signatures.set(el, signature);
  el.replaceChildren(...build());
}

/** The element with this id inside `root`, created by the skeleton: a missing one is a bug. */
export function byId<T extends HTMLElement>(root: ParentNode, id: string): T {
  const el = root.querySelector<T>(`#${id}`);
  if (!el) throw new Error(`the panel has no #${id}`);
  return el;
}

// What would ship: the commits (short sha, subject, author, age, pull request), migrations and
// risky files flagged with why, and the full diff on GitHub. Commit rows are keyed by sha.
import { changesModel, type CommitRow } from './runModel';
import type { PanelHost, View } from './panelView';
import { byId, h, rebuild, setText, show, syncKeyed } from './dom';
import { icon, link } from './controls';

export function createChanges(): HTMLElement {
  return h(
    'section',
    { id: 'changes', attrs: { 'aria-labelledby': 'changes-title' } },
    h(
      'div',
      { className: 'section-head' },
      h('h2', { id: 'changes-title', text: 'Changes' }),
      h('span', { id: 'changes-heading', className: 'muted' }),
    ),
    h('ul', { id: 'change-flags', className: 'flags' }),
    h('ol', { id: 'commits', className: 'commits' }),
    h('p', { id: 'changes-more', className: 'muted' }),
  );
}

export function renderChanges(root: HTMLElement, view: View, host: PanelHost): void {
  const section = byId(root, 'changes');
  const changes = view.record?.changes;
  show(section, !!changes);
  if (!changes) return;
  const m = changesModel(changes, view.ctx.now);
  setText(byId(root, 'changes-heading'), m.heading);
  const flags = byId(root, 'change-flags');
  show(flags, m.migrations.length + m.risky.length > 0);
  rebuild(flags, JSON.stringify([m.migrations, m.risky]), () => [
    ...m.migrations.map((path) =>
      flag('database', 'migration', path, 'ships a database migration'),
    ),
    ...m.risky.map((r) => flag('warning', 'risky', r.path, r.why)),
  ]);
  syncKeyed(
    byId(root, 'commits'),
    m.commits,
    (c) => c.sha,
    (c) => commitRow(c, host),
    updateCommit,
  );
  const more = byId(root, 'changes-more');
  rebuild(more, JSON.stringify([m.shortened, m.compareUrl]), () => [
    ...(m.shortened ? [h('span', { text: `${m.shortened}. ` })] : []),
    ...(m.compareUrl ? [link('Full diff', m.compareUrl, host, 'full-diff')] : []),
  ]);
  show(more, !!(m.shortened || m.compareUrl));
}

function flag(iconName: string, kind: string, path: string, why: string): HTMLElement {
  return h(
    'li',
    { className: `flag-${kind}` },
    icon(iconName),
    h('span', { className: 'flag-kind', text: `${kind}: ` }),
    h('code', { text: path }),
    h('span', { className: 'muted', text: ` — ${why}` }),
  );
}

function commitRow(c: CommitRow, host: PanelHost): HTMLElement {
  return h(
    'li',
    { className: 'commit', attrs: { 'data-sha': c.sha } },
    h('code', { className: 'sha' }, link(c.short, c.url, host)),
    h('span', { className: 'subject', text: c.subject }),
    h('span', { className: 'author muted', text: c.author }),
    h('span', { className: 'age muted' }),
    ...(c.pr ? [h('span', { className: 'pr' }, link(c.pr.text, c.pr.url, host))] : []),
  );
}

/** A commit does not change; its age does. */
function updateCommit(el: HTMLElement, c: CommitRow): void {
  const age = el.querySelector('.age');
  if (age) setText(age, c.age);
}

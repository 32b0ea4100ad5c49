// How it ended: the record's sentence about what production runs now, in large type; Roll back
// and Revert after a failure (the extension confirms in a modal); the release tag, the GitHub
// Deployment and the pull request after a success. And a teammate's promotion, read-only.
import { outcomeModel, teamModel, type Link } from './runModel';
import type { PanelHost, View } from './panelView';
import { byId, h, rebuild, setAttr, setText, show } from './dom';
import {
  button,
  icon,
  link,
  stateMark,
  syncButton,
  syncStateMark,
  type VscodeButton,
} from './controls';

const OUTCOME_ICONS = {
  ok: 'pass',
  bad: 'error',
  warn: 'history',
  muted: 'circle-slash',
  busy: 'loading',
} as const;

export function createOutcome(host: PanelHost): HTMLElement {
  const rollback = button('Roll back', () => host.send({ type: 'rollback' }), {
    id: 'rollback',
    icon: 'history',
  });
  const revert = button('Revert', () => host.send({ type: 'revert' }), {
    id: 'revert',
    icon: 'discard',
    secondary: true,
  });
  return h(
    'section',
    { id: 'outcome', attrs: { 'aria-labelledby': 'outcome-title' } },
    h('h2', { id: 'outcome-title' }, icon('pass'), h('span', { className: 'outcome-heading' })),
    h('p', { id: 'outcome-sentence', className: 'outcome-sentence' }),
    h('p', { id: 'outcome-note', className: 'muted' }),
    h('ul', { id: 'outcome-links', className: 'outcome-links' }),
    h('div', { className: 'buttons' }, rollback, revert),
    h('div', { className: 'error-slot', attrs: { 'data-anchor': 'outcome' } }),
  );
}

export function renderOutcome(root: HTMLElement, view: View, host: PanelHost): void {
  const section = byId(root, 'outcome');
  const m = view.record && outcomeModel(view.record, view.ctx);
  show(section, !!m);
  // Ids inside (#tag, #deployment-link) must not linger where they are not shown.
  if (!m) return rebuild(byId(root, 'outcome-links'), 'none', () => []);
  setAttr(section, 'data-tone', m.tone);
  const i = section.querySelector('vscode-icon')!;
  i.name = OUTCOME_ICONS[m.tone];
  i.spin = m.tone === 'busy';
  setText(section.querySelector('.outcome-heading')!, m.heading);
  setText(byId(root, 'outcome-sentence'), m.sentence);
  const note = byId(root, 'outcome-note');
  show(note, !!m.note);
  setText(note, m.note ?? '');
  const links = byId(root, 'outcome-links');
  show(links, !!(m.tag || m.deployment || m.pullRequest));
  rebuild(links, JSON.stringify([m.tag, m.deployment, m.pullRequest]), () => [
    ...(m.tag
      ? [
          h(
            'li',
            {},
            icon('tag'),
            h('span', { text: 'Release tag ' }),
            h('code', { id: 'tag', text: m.tag }),
          ),
        ]
      : []),
    ...(m.deployment ? [linkItem('github', m.deployment, host, 'deployment-link')] : []),
    ...(m.pullRequest
      ? [linkItem('git-pull-request', m.pullRequest, host, 'pull-request-link')]
      : []),
  ]);
  const rollback = byId<VscodeButton>(root, 'rollback');
  show(rollback, !!m.rollback);
  rollback.secondary = !m.rollback?.primary;
  syncButton(rollback, { disabled: !m.rollback?.enabled, busy: view.ctx.busy.has('rollback') });
  const revert = byId<VscodeButton>(root, 'revert');
  show(revert, !!m.revert);
  syncButton(revert, { disabled: !m.revert?.enabled, busy: view.ctx.busy.has('revert') });
}

function linkItem(iconName: string, l: Link, host: PanelHost, id: string): HTMLElement {
  return h('li', {}, icon(iconName), link(l.text, l.url, host, id));
}

export function createTeam(): HTMLElement {
  return h(
    'section',
    { id: 'team', attrs: { 'aria-labelledby': 'team-title' } },
    h('h2', { id: 'team-title' }),
    h('div', { id: 'team-state' }),
    h('dl', { id: 'team-facts', className: 'team-facts' }),
    h('p', { id: 'team-link' }),
  );
}

/** A teammate's promotion, shown when there is no record of ours: everything GitHub says, nothing to press. */
export function renderTeam(root: HTMLElement, view: View, host: PanelHost): void {
  const section = byId(root, 'team');
  const team = view.record ? undefined : view.state.team;
  show(section, !!team);
  if (!team) return rebuild(byId(root, 'team-link'), 'none', () => []);
  const m = teamModel(team, view.ctx);
  setText(byId(root, 'team-title'), m.title);
  const state = byId(root, 'team-state');
  const mark = state.firstElementChild as HTMLElement | null;
  if (mark) syncStateMark(mark, m.look);
  else state.append(stateMark(m.look, 'badge'));
  rebuild(byId(root, 'team-facts'), JSON.stringify(m.rows), () =>
    m.rows.flatMap((r) => [h('dt', { text: r.label }), h('dd', { text: r.text })]),
  );
  rebuild(byId(root, 'team-link'), JSON.stringify(m.link), () =>
    m.link ? [icon('github'), link(m.link.text, m.link.url, host, 'deployment-link')] : [],
  );
}

// The page: its sections made once inside main#panel, then redrawn in place from each view, and
// the one error region placed beside the control whose action failed.
import { errorAnchor } from './runModel';
import { phaseOf } from './panelModel';
import type { PanelHost, View } from './panelView';
import { byId, h, setAttr, setText, show } from './dom';
import { createHeader, renderHeader } from './renderHeader';
import { createGates, renderGates } from './renderGates';
import { createChanges, renderChanges } from './renderChanges';
import { createRun, renderRun } from './renderRun';
import { createOutcome, createTeam, renderOutcome, renderTeam } from './renderOutcome';
import { createActions, renderActions, type Actions } from './renderActions';
import { createVerification, renderVerification } from './renderVerification';

export interface Page {
  render(view: View): void;
}

export function createPage(main: HTMLElement, host: PanelHost, current: () => View): Page {
  const actions: Actions = createActions(host, current);
  const error = h('div', { id: 'error', className: 'error', attrs: { role: 'alert' } });
  main.replaceChildren(
    createHeader(),
    h('p', { id: 'waiting', className: 'muted', text: 'Loading the promotion…' }),
    createOutcome(host),
    createVerification(),
    createRun(host),
    createGates(host),
    createChanges(),
    createTeam(),
    actions.el,
  );
  placeError(main, error, 'header');
  let shownPhase: string | undefined;
  return {
    render(view) {
      // Pressing Promote at the foot of a long checklist must not leave the progress, then the
      // outcome, above the fold: a new phase starts at the top of the page.
      const phase = phaseOf(view.state);
      const moved = shownPhase !== undefined && shownPhase !== phase;
      shownPhase = phase;
      setAttr(main, 'data-state', view.record?.state ?? view.state.team?.state);
      setAttr(main, 'data-kind', view.record?.kind ?? view.state.team?.kind);
      setAttr(main, 'data-id', view.record?.id ?? view.state.team?.id);
      setAttr(main, 'data-phase', phaseOf(view.state));
      // A promotion that could not be read says why instead (the error, in the header).
      show(byId(main, 'waiting'), !view.record && !view.state.team && !view.error);
      renderHeader(main, view);
      renderOutcome(main, view, host);
      renderVerification(main, view);
      renderRun(main, view, host);
      renderGates(main, view, host);
      renderChanges(main, view, host);
      renderTeam(main, view, host);
      renderActions(main, actions, view);
      renderError(main, error, view);
      if (moved) window.scrollTo({ top: 0 });
    },
  };
}

function renderError(main: HTMLElement, error: HTMLElement, view: View): void {
  show(error, !!view.error);
  setText(error, view.error?.message ?? '');
  if (view.error) placeError(main, error, errorAnchor(view.error.action));
}

/** Beside the control that asked; the header when that part is not shown. */
function placeError(main: HTMLElement, error: HTMLElement, anchor: string): void {
  const slot = main.querySelector(`[data-anchor="${anchor}"]`);
  const target =
    slot && !slot.closest('[hidden]') ? slot : main.querySelector('[data-anchor="header"]');
  if (target && error.parentElement !== target) target.append(error);
}

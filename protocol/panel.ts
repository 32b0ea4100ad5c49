// The checklist panel's wire: every message between the promotion webview and the extension, typed
// and validated here on both ends (the extension checks what the webview posts, the webview what
// the extension posts). The panel holds no state of its own: the daemon's record is the truth, and
// the extension relays the panel's requests to the daemon's `promotion.*` methods.
import * as z from './zod';
import { GATE_IDS, promotionRecord, teamPromotion } from './promotion';

export { PANEL_VIEW_TYPE } from './viewTypes';

/** What a panel restored after a reload remembers (the webview's `setState`): which promotion it showed. */
export const panelMemento = z.object({
  /** A promotion id of this daemon's journal. */
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** A teammate's promotion, seen through GitHub: its deployment id and repository. */
  team: z.optional(z.object({ deploymentId: z.number(), repo: z.string() })),
});
export type PanelMemento = z.infer<typeof panelMemento>;

/**
 * Why the panel only shows: a teammate's promotion (read through GitHub, not ours to act on), an
 * untrusted workspace (Restricted Mode), or the daemon unreachable for now.
 */
export const PANEL_READ_ONLY = ['teammate', 'untrusted', 'disconnected'] as const;
export type PanelReadOnly = (typeof PANEL_READ_ONLY)[number];

export const panelState = z.object({
  /** This daemon's promotion; absent when the panel shows a teammate's. */
  record: z.optional(promotionRecord),
  /** A teammate's promotion as GitHub Deployments record it (read-only). */
  team: z.optional(teamPromotion),
  readOnly: z.optional(z.enum(PANEL_READ_ONLY)),
  /** The user's GitHub login, when signed in: their own sign-off reads "you". */
  login: z.optional(z.string()),
});
export type PanelState = z.infer<typeof panelState>;

/** One line of a service's build or deploy log, as the panel's tail shows it (text, never HTML). */
export const panelLogLine = z.object({
  serviceId: z.string(),
  kind: z.enum(['build', 'deploy']),
  /** Railway's timestamp, ISO 8601. */
  ts: z.optional(z.string()),
  severity: z.optional(z.string()),
  text: z.string().check(z.maxLength(10_000)),
});
export type PanelLogLine = z.infer<typeof panelLogLine>;

/** The actions the panel asks the extension for; each answers with `busy` then `state` or `error`. */
export const PANEL_ACTIONS = [
  'recheck',
  'sign-off',
  'start',
  'cancel',
  'rollback',
  'revert',
  'deploy-missing',
  'back-merge',
] as const;
export type PanelAction = (typeof PANEL_ACTIONS)[number];

/** extension → webview */
export const toPanel = z.discriminatedUnion('type', [
  /** The whole state, on every change of the record: the panel redraws from it. */
  z.object({ type: z.literal('state'), state: panelState }),
  /** Log lines to append to the tail (`reset`: a new promotion, start over). */
  z.object({
    type: z.literal('logs'),
    lines: z.array(panelLogLine).check(z.maxLength(1000)),
    reset: z._default(z.boolean(), false),
  }),
  /** An action was sent to the daemon (busy) or answered (not busy). */
  z.object({ type: z.literal('busy'), action: z.enum(PANEL_ACTIONS), busy: z.boolean() }),
  /** An action failed: the daemon's sentence, shown beside the control that asked. */
  z.object({
    type: z.literal('error'),
    action: z.optional(z.enum(PANEL_ACTIONS)),
    message: z.string(),
  }),
]);
export type ToPanel = z.infer<typeof toPanel>;

const reason = z.string().check(z.trim(), z.minLength(3), z.maxLength(500));

/** webview → extension */
export const fromPanel = z.discriminatedUnion('type', [
  /** The page has loaded and listens: send the state. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('recheck'), gate: z.optional(z.enum(GATE_IDS)) }),
  z.object({ type: z.literal('sign-off') }),
  z.object({
    type: z.literal('start'),
    /** The target's name as typed, for a protected target. */
    confirm: z.optional(z.string().check(z.maxLength(200))),
    overrideWindow: z.optional(reason),
    ackBackup: z.optional(reason),
    rollbackOnFailure: z._default(z.boolean(), false),
    /** The target's name as typed, to take over a teammate's stale promotion. */
    takeOver: z.optional(z.string().check(z.maxLength(200))),
    reapplyReverts: z._default(z.boolean(), false),
  }),
  z.object({ type: z.literal('cancel') }),
  /** Asks in a modal first: the extension confirms, the panel only requests. */
  z.object({ type: z.literal('rollback') }),
  z.object({ type: z.literal('revert') }),
  z.object({ type: z.literal('deploy-missing') }),
  /** The divergence gate's offer: plan the back-merge of the target into the source, in this panel. */
  z.object({ type: z.literal('back-merge') }),
  /** Open a service's full log in its Output channel. */
  z.object({
    type: z.literal('open-logs'),
    serviceId: z.string().check(z.minLength(1), z.maxLength(200)),
    kind: z.enum(['build', 'deploy']),
  }),
  /** Open a link (CI run, pull request, deployment, diff) in the browser; http(s) only. */
  z.object({ type: z.literal('open-url'), url: z.string().check(z.maxLength(2000)) }),
  /**
   * The page drew a state: which promotion, in which state, how many gate rows it shows and how
   * many still read "checking". The tests and the paint benchmark wait on it.
   */
  z.object({
    type: z.literal('rendered'),
    id: z.optional(z.string().check(z.maxLength(100))),
    state: z.optional(z.string().check(z.maxLength(50))),
    gates: z.number().check(z.int(), z.minimum(0)),
    pendingGates: z.number().check(z.int(), z.minimum(0)),
  }),
  /** The page's CSP refused something: logged, and failed on in the tests. */
  z.object({
    type: z.literal('csp-violation'),
    directive: z.string().check(z.maxLength(200)),
    blocked: z.string().check(z.maxLength(2000)),
  }),
]);
export type FromPanel = z.infer<typeof fromPanel>;

/** An http(s) URL the extension may open for the panel; anything else (command:, file:) is refused. */
export function isOpenableUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

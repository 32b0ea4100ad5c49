// The checklist panel's wire: every message between the promotion webview and the extension, typed
// and validated here on both ends (the extension checks what the webview posts, the webview what
// the extension posts). The panel holds no state of its own: the daemon's record is the truth, and
// the extension relays the panel's requests to the daemon's `promotion.*` methods.
import { z } from 'zod';
import { GATE_IDS, promotionRecord, teamPromotion } from './promotion';

/** The webview panel's view type: the serializer that restores it after a reload is registered for it. */
export const PANEL_VIEW_TYPE = 'railyard.promotion';

/** What a panel restored after a reload remembers (the webview's `setState`): which promotion it showed. */
export const panelMemento = z.object({
  /** A promotion id of this daemon's journal. */
  id: z.string().min(1).max(100).optional(),
  /** A teammate's promotion, seen through GitHub: its deployment id and repository. */
  team: z.object({ deploymentId: z.number(), repo: z.string() }).optional(),
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
  record: promotionRecord.optional(),
  /** A teammate's promotion as GitHub Deployments record it (read-only). */
  team: teamPromotion.optional(),
  readOnly: z.enum(PANEL_READ_ONLY).optional(),
  /** The user's GitHub login, when signed in: their own sign-off reads "you". */
  login: z.string().optional(),
});
export type PanelState = z.infer<typeof panelState>;

/** One line of a service's build or deploy log, as the panel's tail shows it (text, never HTML). */
export const panelLogLine = z.object({
  serviceId: z.string(),
  kind: z.enum(['build', 'deploy']),
  /** Railway's timestamp, ISO 8601. */
  ts: z.string().optional(),
  severity: z.string().optional(),
  text: z.string().max(10_000),
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
    lines: z.array(panelLogLine).max(1000),
    reset: z.boolean().default(false),
  }),
  /** An action was sent to the daemon (busy) or answered (not busy). */
  z.object({ type: z.literal('busy'), action: z.enum(PANEL_ACTIONS), busy: z.boolean() }),
  /** An action failed: the daemon's sentence, shown beside the control that asked. */
  z.object({
    type: z.literal('error'),
    action: z.enum(PANEL_ACTIONS).optional(),
    message: z.string(),
  }),
]);
export type ToPanel = z.infer<typeof toPanel>;

const reason = z.string().trim().min(3).max(500);

/** webview → extension */
export const fromPanel = z.discriminatedUnion('type', [
  /** The page has loaded and listens: send the state. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('recheck'), gate: z.enum(GATE_IDS).optional() }),
  z.object({ type: z.literal('sign-off') }),
  z.object({
    type: z.literal('start'),
    /** The target's name as typed, for a protected target. */
    confirm: z.string().max(200).optional(),
    overrideWindow: reason.optional(),
    ackBackup: reason.optional(),
    rollbackOnFailure: z.boolean().default(false),
    /** The target's name as typed, to take over a teammate's stale promotion. */
    takeOver: z.string().max(200).optional(),
    reapplyReverts: z.boolean().default(false),
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
    serviceId: z.string().min(1).max(200),
    kind: z.enum(['build', 'deploy']),
  }),
  /** Open a link (CI run, pull request, deployment, diff) in the browser; http(s) only. */
  z.object({ type: z.literal('open-url'), url: z.string().max(2000) }),
  /**
   * The page drew a state: which promotion, in which state, how many gate rows it shows and how
   * many still read "checking". The tests and the paint benchmark wait on it.
   */
  z.object({
    type: z.literal('rendered'),
    id: z.string().max(100).optional(),
    state: z.string().max(50).optional(),
    gates: z.number().int().min(0),
    pendingGates: z.number().int().min(0),
  }),
  /** The page's CSP refused something: logged, and failed on in the tests. */
  z.object({
    type: z.literal('csp-violation'),
    directive: z.string().max(200),
    blocked: z.string().max(2000),
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

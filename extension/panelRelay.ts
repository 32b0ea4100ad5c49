// The panel's requests, relayed: every message the webview posts is validated against the shared
// schema, then answered (state, links, logs) or relayed to the daemon's `promotion.*` methods with
// `busy` around the call and the daemon's sentence on failure. No `vscode` here: the host (the
// panel) does what needs the editor, so the relay is unit-tested with a fake host and daemon.
import type * as z from '../protocol/zod';
import { adviceFor } from '../client/errorGuidance';
import type { RpcClient } from '../client/rpcClient';
import { RpcError } from '../protocol/jsonrpc';
import {
  fromPanel,
  isOpenableUrl,
  PANEL_ACTIONS,
  type FromPanel,
  type PanelAction,
  type PanelReadOnly,
  type ToPanel,
} from '../protocol/panel';
import {
  ErrorCode,
  type FolderContext,
  type PromotionRecord,
  type TeamPromotion,
} from '../protocol/protocol';
import {
  deployMissingQuestion,
  refusalOf,
  revertQuestion,
  rollbackQuestion,
  type Answer,
  type Question,
} from './panelHostModel';

export type RenderedMessage = Extract<FromPanel, { type: 'rendered' }>;
type ActionMessage = Extract<FromPanel, { type: PanelAction }>;

/** What the relay needs of the panel it serves and of the editor around it. */
export interface RelayHost {
  /** This daemon's promotion the panel shows (none for a teammate's). */
  record(): PromotionRecord | undefined;
  team(): TeamPromotion | undefined;
  readOnly(): PanelReadOnly | undefined;
  client(): Pick<RpcClient, 'request'> | undefined;
  folder(): FolderContext | undefined;
  post(message: ToPanel): void;
  /** A record a request answered with: shown unless a newer one already is. */
  offer(record: PromotionRecord): void;
  /** The page is listening: send it the state (and the log tail so far). */
  ready(): void;
  rendered(message: RenderedMessage): void;
  cspViolation(text: string): void;
  /** A modal question, then a protected target's name typed; undefined when they backed out. */
  ask(question: Question): Promise<Answer>;
  /** Shows another promotion this one led to (a revert, a back-merge) in its own panel. */
  open(record: PromotionRecord): Promise<void>;
  openLogs(spec: { environment: string; service: string; kind: 'build' | 'deploy' }): Promise<void>;
  openExternal(url: string): Promise<void>;
  /** A failure to log, and to pop up when there is something to do about it (a button). */
  failed(error: unknown, context: string): void;
  warn(message: string): void;
}

/** Handles one message from the webview; never throws (a failure is posted and logged). */
export async function relay(host: RelayHost, raw: unknown): Promise<void> {
  const parsed = fromPanel.safeParse(raw);
  if (!parsed.success) return refuseInvalid(host, raw, parsed.error);
  const m = parsed.data;
  switch (m.type) {
    case 'ready':
      return host.ready();
    case 'rendered':
      return host.rendered(m);
    case 'csp-violation':
      return host.cspViolation(`${m.directive}: ${m.blocked}`);
    case 'open-url':
      return openUrl(host, m.url);
    case 'open-logs':
      return openLogs(host, m.serviceId, m.kind);
    default:
      return act(host, m);
  }
}

function refuseInvalid(host: RelayHost, raw: unknown, error: z.core.$ZodError): void {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : raw;
  const where = error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`);
  host.warn(`Refused a message from the promotion panel (${String(type)}): ${where.join('; ')}`);
  const action = PANEL_ACTIONS.find((a) => a === type);
  host.post({
    type: 'error',
    ...(action && { action }),
    message: 'Railyard did not act on that request: the panel sent something it could not read.',
  });
}

async function openUrl(host: RelayHost, url: string): Promise<void> {
  if (!isOpenableUrl(url)) {
    host.warn(`Refused to open a link from the promotion panel that is not http(s): ${url}`);
    return host.post({ type: 'error', message: 'Railyard opens only http and https links.' });
  }
  try {
    await host.openExternal(url);
  } catch (e) {
    host.failed(e, 'Opening a link from the promotion panel failed');
  }
}

async function openLogs(host: RelayHost, serviceId: string, kind: 'build' | 'deploy') {
  const r = host.record();
  const service = r?.services.find((s) => s.id === serviceId);
  if (!r || !service)
    return host.post({
      type: 'error',
      message: 'Railyard has no log of that service for this promotion.',
    });
  try {
    await host.openLogs({ environment: r.to.name, service: service.name, kind });
  } catch (e) {
    host.failed(e, `Opening ${service.name}'s ${kind} log failed`);
  }
}

/** An action that changes something: refused here when the panel only shows, else asked, then sent. */
async function act(host: RelayHost, m: ActionMessage): Promise<void> {
  const action = m.type;
  const refusal = refusalFor(host);
  const r = host.record();
  const client = host.client();
  const folder = host.folder();
  if (refusal || !r || !client || !folder) {
    const error = refusal ?? new Error('Railyard has no promotion of its own in this panel.');
    host.failed(error, `The panel's ${action}`);
    return host.post({ type: 'error', action, message: adviceFor(error).message });
  }
  const question = questionFor(action, r);
  const answer: Answer = question ? await host.ask(question) : {};
  // Backing out is an answer too: the page's button stops waiting at once.
  if (!answer) return host.post({ type: 'busy', action, busy: false });
  host.post({ type: 'busy', action, busy: true });
  try {
    const done = await send({ client, folder, record: r, typed: answer.confirm }, m);
    if (done.id === r.id) host.offer(done);
    else await host.open(done);
  } catch (e) {
    host.failed(e, `The panel's ${action} of promotion ${r.id}`);
    host.post({ type: 'error', action, message: adviceFor(e).message });
  } finally {
    host.post({ type: 'busy', action, busy: false });
  }
}

/**
 * Why the window may not act, as the error the daemon would answer: an untrusted folder's
 * refusal carries `untrusted`, so the pop-up offers Manage Workspace Trust.
 */
function refusalFor(host: RelayHost): RpcError | undefined {
  const readOnly = host.readOnly();
  if (!readOnly) return undefined;
  const message = refusalOf(readOnly, host.team());
  if (readOnly === 'untrusted')
    return new RpcError(ErrorCode.Forbidden, message, { untrusted: true });
  return new RpcError(readOnly === 'teammate' ? ErrorCode.Forbidden : ErrorCode.Network, message);
}

/** What a modal asks first: the actions that change what production runs after the push. */
function questionFor(action: PanelAction, r: PromotionRecord): Question | undefined {
  const typed = r.protected ? { typed: r.to.name } : {};
  if (action === 'rollback') return { ...rollbackQuestion(r), ...typed };
  if (action === 'revert') return { ...revertQuestion(r), ...typed };
  if (action === 'deploy-missing') return { ...deployMissingQuestion(r), ...typed };
  return undefined;
}

interface Call {
  client: Pick<RpcClient, 'request'>;
  folder: FolderContext;
  record: PromotionRecord;
  /** The protected target's name as the person typed it after the modal, and only that. */
  typed: string | undefined;
}

/** The daemon call for each action; the daemon checks a protected target's typed name. */
function send(
  { client, folder, record: r, typed }: Call,
  m: ActionMessage,
): Promise<PromotionRecord> {
  const ids = { folder, id: r.id };
  const confirmed = { ...ids, ...(typed === undefined ? {} : { confirm: typed }) };
  switch (m.type) {
    case 'recheck':
      return client.request('promotion.recheck', { ...ids, ...(m.gate && { gate: m.gate }) });
    case 'sign-off':
      return client.request('promotion.signOff', ids);
    case 'start':
      return client.request('promotion.start', { ...ids, ...startOptions(m) });
    case 'cancel':
      return client.request('promotion.cancel', ids);
    case 'rollback':
      return client.request('promotion.rollback', confirmed);
    case 'revert':
      return client.request('promotion.revert', confirmed);
    case 'deploy-missing':
      return client.request('promotion.deployMissing', confirmed);
    case 'back-merge':
      return client.request('promotion.plan', {
        folder,
        from: r.to.name,
        to: r.from.name,
        kind: 'back-merge',
      });
  }
}

function startOptions(m: Extract<FromPanel, { type: 'start' }>) {
  return {
    ...(m.confirm !== undefined && { confirm: m.confirm }),
    ...(m.overrideWindow !== undefined && { overrideWindow: m.overrideWindow }),
    ...(m.ackBackup !== undefined && { ackBackup: m.ackBackup }),
    ...(m.takeOver !== undefined && { takeOver: m.takeOver }),
    rollbackOnFailure: m.rollbackOnFailure,
    reapplyReverts: m.reapplyReverts,
  };
}

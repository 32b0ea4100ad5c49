// The command line of `railyard promote`, parsed into one typed command; anything wrong is exit 2
// with a sentence that never echoes a word that could be a pasted token.
import { parseArgs } from 'node:util';
import { PROMOTION_STRATEGIES, type PromotionStrategy } from '../protocol/protocol';
import { CliError, quoted } from './output';
import { exitCodeHelp, PROMOTE_EXIT } from './promoteExit';

/** `railyard promote <from> <to>`: plan, gates, question, then merge, push, deploy. */
export interface RunArgs {
  kind: 'run';
  from: string;
  to: string;
  check: boolean;
  yes: boolean;
  confirm?: string;
  signOff: boolean;
  overrideWindow?: string;
  ackBackup?: string;
  rollbackOnFailure: boolean;
  /** Sent as the plan's strategy; railyard.json's for the pair when absent. */
  strategy?: PromotionStrategy;
  /** Revert again the reverts the divergence gate found on the target (start's reapplyReverts). */
  reapplyReverts: boolean;
  /** The target's name, typed: take over a teammate's stale promotion of it if the start meets one. */
  takeOver?: string;
  /** <from> is the target whose extra commits go back into <to>, its source (plan's kind back-merge). */
  backMerge: boolean;
  json: boolean;
  folder?: string;
}

/** The subcommands that act on a promotion that already exists (the folder's latest by default). */
export interface ManageArgs {
  kind: 'status' | 'history' | 'cancel' | 'rollback' | 'deploy-missing' | 'revert';
  id?: string;
  confirm?: string;
  yes: boolean;
  json: boolean;
  folder?: string;
}

export type PromoteArgs = RunArgs | ManageArgs | { kind: 'help' };

export const PROMOTE_USAGE = `Usage: railyard promote <from> <to> [options]
       railyard promote <target> <source> --back-merge [options]
       railyard promote status [ID] | history | cancel [ID] | rollback [ID] [--confirm NAME] [--yes]
       railyard promote revert [ID] [--confirm NAME] [--yes]
       railyard promote deploy-missing [ID] [--confirm NAME]

Merges <from>'s branch into <to>'s and pushes, once every required gate passes, then follows the
deploy. Shows each gate as it settles and the changes, and asks before merging.

Options:
  --check                  Gates only: nothing is merged. Exits 0 when it could go, 3 when not;
                           --sign-off, --override-window, --ack-backup and --reapply-reverts count
                           as they would
  --yes                    Skip the final question (never signs off, overrides, acknowledges,
                           confirms, takes over, back-merges or rolls back by itself); needed
                           without a terminal. A push git refuses is then tried once more if
                           <from> has not moved
  --confirm NAME           A protected target's name, typed (else asked for at the terminal)
  --sign-off               Record QA's sign-off of the pinned commit; the gates are checked again
  --override-window REASON Promote outside the deploy window, saying why
  --ack-backup REASON      Go on without a backup, saying why
  --rollback-on-failure    If the deploy fails, roll every service back to what served before
  --strategy merge|pull-request
                           Merge here and push, or go through a GitHub pull request (a protected
                           branch); railyard.json's strategy when omitted
  --reapply-reverts        Revert again the reverts on <to> the divergence gate found, so what
                           they took out comes back with this promotion
  --take-over NAME         <to>'s name, typed: if a teammate's promotion of <to> went silent (its
                           daemon stopped reporting), take it over (else asked at the terminal)
  --back-merge             Merge <from>'s extra commits back into <to> (<from> being the target
                           that moved, e.g. kars-prod kars-dev), as its own small promotion
  --json                   One JSON object on stdout (every exit but 2); progress on stderr
  --folder DIR             The workspace folder (default: the current directory)

Subcommands (ID: the folder's latest promotion when omitted):
  status [ID]              Where a promotion stands: gates, steps, services
  history                  This folder's promotions and the team's (from GitHub), newest first
  cancel [ID]              Cancel a promotion that has not pushed yet
  rollback [ID]            Roll the target back to what served before the promotion (asks first)
  revert [ID]              Undo a finished promotion's merge with a git revert on its target, then
                           follow the revert's push and deploy as a promotion (asks first)
  deploy-missing [ID]      Deploy the merge commit where Railway never started it (a lost webhook)

Exit codes:
${exitCodeHelp()}
`;

const STRING_FLAGS = [
  'confirm',
  'override-window',
  'ack-backup',
  'strategy',
  'take-over',
  'folder',
] as const;
const BOOLEAN_FLAGS = [
  'check',
  'yes',
  'sign-off',
  'rollback-on-failure',
  'reapply-reverts',
  'back-merge',
  'json',
  'help',
] as const;
type Flag = (typeof STRING_FLAGS)[number] | (typeof BOOLEAN_FLAGS)[number];
type FlagValues = Partial<Record<Flag, string | true>>;

/** Which flags each subcommand takes; a flag given to the wrong one is bad usage, not ignored. */
const ALLOWED: Record<ManageArgs['kind'], readonly Flag[]> = {
  status: ['json', 'folder'],
  history: ['json', 'folder'],
  cancel: ['json', 'folder'],
  rollback: ['confirm', 'yes', 'json', 'folder'],
  'deploy-missing': ['confirm', 'json', 'folder'],
  revert: ['confirm', 'yes', 'json', 'folder'],
};

const SUBCOMMANDS = Object.keys(ALLOWED) as ManageArgs['kind'][];

/** Reasons as the daemon takes them (protocol/promotion.ts): 3 to 500 characters. */
const REASON_MIN = 3;
const REASON_MAX = 500;

export function parsePromoteArgs(argv: string[]): PromoteArgs {
  const { flags, positionals } = readFlags(argv);
  if (flags.help) return { kind: 'help' };
  const [first, ...rest] = positionals;
  const subcommand = SUBCOMMANDS.find((k) => k === first);
  if (subcommand) return manageArgs(subcommand, rest, flags);
  return runArgs(positionals, flags);
}

function runArgs(positionals: string[], flags: FlagValues): RunArgs {
  const [from, to, extra] = positionals;
  if (!from || !to)
    throw usage('Name both environments: railyard promote <from> <to>, e.g. kars-dev kars-prod.');
  if (extra !== undefined) throw usage(`Unexpected argument ${quoted(extra)} after <from> <to>.`);
  if (from === to) throw usage(`<from> and <to> are both ${quoted(from)}: name two environments.`);
  refuseCombinations(flags, to);
  return {
    kind: 'run',
    from,
    to,
    check: flags.check === true,
    yes: flags.yes === true,
    signOff: flags['sign-off'] === true,
    rollbackOnFailure: flags['rollback-on-failure'] === true,
    reapplyReverts: flags['reapply-reverts'] === true,
    backMerge: flags['back-merge'] === true,
    json: flags.json === true,
    ...optional('confirm', text(flags.confirm)),
    ...optional('overrideWindow', reason(flags, 'override-window')),
    ...optional('ackBackup', reason(flags, 'ack-backup')),
    ...optional('strategy', strategy(flags.strategy)),
    ...optional('takeOver', text(flags['take-over'])),
    ...optional('folder', text(flags.folder)),
  };
}

/** Flags that cannot mean anything together, said before anything reaches the daemon. */
function refuseCombinations(flags: FlagValues, to: string): void {
  if (flags.check && flags['take-over'])
    throw usage('--take-over applies when a promotion starts, and --check never starts one.');
  if (flags['back-merge'] && flags['reapply-reverts'])
    throw usage(
      '--reapply-reverts brings reverted changes back into a promotion; a --back-merge only returns the target’s extra commits to its source. Give one or the other.',
    );
  const takeOver = text(flags['take-over']);
  // The name is typed so that taking a teammate's target over is deliberate, as --confirm is.
  if (takeOver !== undefined && takeOver !== to)
    throw usage(`--take-over needs <to>'s name typed (${quoted(to)}), not ${quoted(takeOver)}.`);
}

function strategy(value: string | true | undefined): PromotionStrategy | undefined {
  if (typeof value !== 'string') return undefined;
  const known = PROMOTION_STRATEGIES.find((s) => s === value);
  if (!known)
    throw usage(`--strategy is ${PROMOTION_STRATEGIES.join(' or ')}, not ${quoted(value)}.`);
  return known;
}

function manageArgs(kind: ManageArgs['kind'], rest: string[], flags: FlagValues): ManageArgs {
  const wrong = (Object.keys(flags) as Flag[]).find((f) => !ALLOWED[kind].includes(f));
  if (wrong) throw usage(`--${wrong} does not apply to railyard promote ${kind}.`);
  const [id, extra] = rest;
  if (kind === 'history' && id !== undefined)
    throw usage(`railyard promote history takes no argument (got ${quoted(id)}).`);
  if (extra !== undefined)
    throw usage(`Unexpected argument ${quoted(extra)}: give one ID at most.`);
  return {
    kind,
    yes: flags.yes === true,
    json: flags.json === true,
    ...optional('id', id),
    ...optional('confirm', text(flags.confirm)),
    ...optional('folder', text(flags.folder)),
  };
}

type OptionType = { type: 'string' | 'boolean' };
const PARSE_OPTIONS = Object.fromEntries<OptionType>([
  ...STRING_FLAGS.map((f): [string, OptionType] => [f, { type: 'string' }]),
  ...BOOLEAN_FLAGS.map((f): [string, OptionType] => [f, { type: 'boolean' }]),
]);

/**
 * node:util's own messages quote what was typed (an unknown `--ghp_…` would be echoed), so the
 * tokens are read leniently and checked here, with our sentences.
 */
function readFlags(argv: string[]): { flags: FlagValues; positionals: string[] } {
  const { tokens } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: PARSE_OPTIONS,
  });
  const flags: FlagValues = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const name = knownFlag(token.rawName, token.name);
    if (flags[name] !== undefined) throw usage(`--${name} is given twice.`);
    flags[name] = flagValue(name, token.value, token.inlineValue);
  }
  return { flags, positionals };
}

function knownFlag(rawName: string, name: string): Flag {
  const flag = [...STRING_FLAGS, ...BOOLEAN_FLAGS].find((f) => f === name);
  if (!flag || !rawName.startsWith('--'))
    throw usage(`Unknown option ${quoted(rawName)}. railyard promote --help lists them.`);
  return flag;
}

function flagValue(
  name: Flag,
  value: string | undefined,
  inline: boolean | undefined,
): string | true {
  const takesValue = (STRING_FLAGS as readonly string[]).includes(name);
  if (!takesValue) {
    if (value !== undefined) throw usage(`--${name} takes no value.`);
    return true;
  }
  // `--confirm --yes` would otherwise confirm with the word "--yes".
  if (value === undefined || value === '' || (!inline && value.startsWith('-')))
    throw usage(`--${name} needs a value: ${VALUE_HINT[name as (typeof STRING_FLAGS)[number]]}.`);
  return value;
}

const VALUE_HINT: Record<(typeof STRING_FLAGS)[number], string> = {
  confirm: "the target environment's name, typed",
  'override-window': 'the reason, in words',
  'ack-backup': 'the reason, in words',
  strategy: PROMOTION_STRATEGIES.join(' or '),
  'take-over': "the target environment's name, typed",
  folder: 'a directory',
};

function reason(flags: FlagValues, name: 'override-window' | 'ack-backup'): string | undefined {
  const value = text(flags[name])?.trim();
  if (value === undefined) return undefined;
  if (value.length < REASON_MIN || value.length > REASON_MAX)
    throw usage(`--${name} needs a reason of ${REASON_MIN} to ${REASON_MAX} characters.`);
  return value;
}

function text(value: string | true | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `{ key: value }` when there is a value, so absent options stay absent rather than undefined. */
function optional<K extends string, V extends string>(
  key: K,
  value: V | undefined,
): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function usage(sentence: string): CliError {
  return new CliError(sentence, PROMOTE_EXIT.usage);
}

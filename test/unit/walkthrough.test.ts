// The walkthrough can only check itself off and its links can only work if what it names exists:
// every completion event names a contributed command or view, or a context key the extension sets,
// and every `command:` link (in a step or its markdown page) names a contributed command.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { STEP_KEY_COPIES } from '../../extension/walkthroughKeys';

const root = path.resolve(__dirname, '..', '..');
interface Step {
  id: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { contents: string }[];
    walkthroughs: { id: string; steps: Step[] }[];
  };
};
const commands = new Set(pkg.contributes.commands.map((c) => c.command));
const views = new Set(Object.values(pkg.contributes.views).flatMap((vs) => vs.map((v) => v.id)));
const [walkthrough] = pkg.contributes.walkthroughs;
const steps = walkthrough?.steps ?? [];
const extensionSource = fs
  .readdirSync(path.join(root, 'extension'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => fs.readFileSync(path.join(root, 'extension', f), 'utf8'))
  .join('\n');

/**
 * The context keys the extension sets: every `'setContext', '<key>'` call in extension/, the step
 * keys set through setStepKey, and their copies, pulsed once the walkthrough is open.
 */
const stepKeysSet = [...extensionSource.matchAll(/setStepKey\(\s*'([\w.]+)'/g)].map((m) => m[1]!);
const contextKeys = new Set([
  ...[...extensionSource.matchAll(/'setContext',\s*'([\w.]+)'/g)].map((m) => m[1]!),
  ...stepKeysSet,
  ...Object.values(STEP_KEY_COPIES),
]);
/** The keys a context expression reads (`a && !b.c == x` → a, b.c), leaving out its values. */
function keysOf(expression: string): string[] {
  return expression
    .split(/&&|\|\|/)
    .map((term) =>
      term
        .replace(/^\s*!?\s*/, '')
        .split(/\s*(?:==|!=|=~|<=|>=|<|>)\s*/)[0]!
        .trim(),
    )
    .filter(Boolean);
}
/** `command:` targets of markdown links; a view's `<id>.focus` is VS Code's own for each view. */
function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([\w.-]+)/g)].map((m) => m[1]!);
}
const linkable = (id: string) => commands.has(id) || views.has(id.replace(/\.focus$/, ''));

/** Why a completion event could never fire, or undefined when it can. */
function problemWith(event: string): string | undefined {
  const [kind, ...rest] = event.split(':');
  const value = rest.join(':');
  if (kind === 'onCommand')
    return commands.has(value) ? undefined : `${value} is not a contributed command`;
  if (kind === 'onView') return views.has(value) ? undefined : `${value} is not a contributed view`;
  if (kind === 'onContext') {
    const unset = keysOf(value).filter((k) => !contextKeys.has(k));
    return unset.length ? `the extension never sets ${unset.join(', ')}` : undefined;
  }
  return `${kind} is not an event this test knows how to check; add it here`;
}

describe('the walkthrough', () => {
  it('walks through sign-in, GitHub, linking, the tree, logs and promotion', () => {
    assert.deepEqual(
      steps.map((s) => s.id),
      ['signInRailway', 'signInGithub', 'linkProject', 'openTree', 'tailLogs', 'promote'],
    );
  });

  it('checks every step off by something the user does, never merely by selecting it', () => {
    for (const step of steps)
      assert.ok(step.completionEvents?.length, `${step.id} has no completion events`);
  });

  it('completes on contributed commands and views, and context keys the extension sets', () => {
    const problems = steps.flatMap((s) =>
      (s.completionEvents ?? []).map((e) => [s.id, e, problemWith(e)] as const),
    );
    assert.deepEqual(
      problems.filter(([, , p]) => p).map(([id, e, p]) => `${id}: ${e}: ${p}`),
      [],
    );
    assert.ok(contextKeys.has('railyard.githubSignedIn'), 'the GitHub step has no key to wait for');
  });

  it('completes each step that waits on a sign-in or link key on its copy too, pulsed once the walkthrough is open', () => {
    assert.deepEqual([...new Set(stepKeysSet)].sort(), Object.keys(STEP_KEY_COPIES).sort());
    for (const [key, copy] of Object.entries(STEP_KEY_COPIES)) {
      const waiting = steps.filter((s) => s.completionEvents?.includes(`onContext:${key}`));
      assert.equal(waiting.length, 1, `one step completes on ${key}`);
      assert.ok(waiting[0]!.completionEvents!.includes(`onContext:${copy}`), `${key}'s copy`);
    }
  });

  it('links only contributed commands, from each step and its page', () => {
    for (const step of steps) {
      const page = step.media.markdown;
      assert.ok(page, `${step.id} has no markdown page`);
      const pageText = fs.readFileSync(path.join(root, page), 'utf8');
      const links = [...commandLinks(step.description), ...commandLinks(pageText)];
      assert.ok(commandLinks(step.description).length, `${step.id}'s description has no button`);
      assert.deepEqual(
        links.filter((l) => !linkable(l)),
        [],
        `${step.id} links commands that do not exist`,
      );
    }
  });

  it('is opened by Railyard: Get Started, which names it as VS Code does', () => {
    assert.ok(commands.has('railyard.getStarted'));
    const id = /WALKTHROUGH_ID = '([^']+)'/.exec(extensionSource)?.[1];
    assert.equal(id, walkthrough?.id);
    assert.match(extensionSource, /`\$\{publisher\}\.\$\{name\}#\$\{WALKTHROUGH_ID\}`/);
    const welcomeLinks = pkg.contributes.viewsWelcome.flatMap((w) => commandLinks(w.contents));
    assert.ok(welcomeLinks.includes('railyard.getStarted'), 'no welcome view offers it');
  });
});

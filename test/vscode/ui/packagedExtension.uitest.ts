// The packaged extension as a user gets it: `npm run package` once, its .vsix's listing, then that
// .vsix alone installed into a fresh code-server with `--install-extension` (no repository beside
// it, no extensionDevelopmentPath) and working against the simulators from its own files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { installExtension, startCodeServer, type CodeServer } from '../../../scripts/codeServer';
import { disposeHome, makeHome, runningDaemon } from '../railyardHome';
import { zipEntries, packageVsix, type ZipEntry } from '../vsixPackage';
import {
  openViewContainer,
  openWorkbench,
  repoRoot,
  screenshot,
  timeouts,
  waitForStatusBar,
  waitForWorkbench,
} from '../workbench';
import { waitForKarsTree } from './environments.uitest';
import { screenshotIfFailed, type UiContext } from './railyardWindow';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  version: string;
};
/** The folder code-server installs the extension into: `<publisher>.<name>-<version>`. */
const installedName = `${pkg.publisher}.${pkg.name}-${pkg.version}`;
const uiWait = { timeout: timeouts.ui };

/** vsce's own files, then the extension's: vsce names README, CHANGELOG and LICENSE its own way. */
const fixedEntries = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  ...['extension', 'extensionMain', 'daemon', 'cli', 'webview', 'metrics'].map(
    (b) => `extension/dist/${b}.js`,
  ),
  'extension/dist/metrics.css',
  'extension/dist/codicons/codicon.css',
  'extension/dist/codicons/codicon.ttf',
];

/** What ships of media/, syntaxes/ and schemas/: every file of the repo's, but media's README. */
function shippedAssets(): string[] {
  // Every file, at any depth (media/walkthrough/ holds the walkthrough's pages).
  return ['media', 'syntaxes', 'schemas'].flatMap((dir) =>
    filesBelow(path.join(repoRoot, dir))
      .filter((f) => !(dir === 'media' && f === 'README.md'))
      .map((f) => `extension/${dir}/${f}`),
  );
}

/** Every file below `dir`, relative, with `/`. */
function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** The README's relative image embeds' alt texts, in order (`![alt](docs/...)`). */
function relativeImageAlts(): string[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[([^\]]*)\]\((?!\w+:)[^)]+\)/g)].map((m) => m[1] ?? '');
}

/** Opens Railyard's page from the Extensions view's installed list; its README's frame. */
async function openDetailsPage(page: Page): Promise<FrameLocator> {
  await openViewContainer(page, 'Extensions');
  await searchExtensions(page, '@installed Railyard');
  const entry = page
    .locator('.part.sidebar .extensions-list .monaco-list-row')
    .filter({ has: page.locator('.name', { hasText: /^Railyard$/ }) });
  // The list re-renders when the (unreachable) gallery's answer fails, which can eat a click made
  // meanwhile: click again until the extension's page shows.
  const opened = page.locator('.extension-editor .name', { hasText: /^Railyard$/ });
  for (let attempt = 1; attempt < 3; attempt++) {
    await entry.click({ timeout: timeouts.ui / 3 }).catch(() => undefined); // looked at next
    const shown = await opened.waitFor({ timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
  }
  await opened.waitFor(uiWait);
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * Types `query` into the Extensions view's search box until the box shows it: keys typed while the
 * view is still coming up (it focuses and fills its box itself) can land elsewhere or be replaced.
 */
async function searchExtensions(page: Page, query: string): Promise<void> {
  const search = page.locator('.part.sidebar .extensions-viewlet .suggest-input-container');
  // The box is an editor: it draws a space as U+00A0, which \s matches.
  const words = query.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const shown = search.locator('.view-line', { hasText: new RegExp(words.join('\\s')) });
  for (let attempt = 1; attempt < 3; attempt++) {
    await search.click(uiWait);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(query);
    const typed = await shown.waitFor({ timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (typed) return;
  }
  await shown.waitFor(uiWait);
}

/** The command line of a running process (Linux: /proc/<pid>/cmdline). */
function commandLine(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

export function definePackagedExtensionTests(ctx: UiContext): void {
  describe('packaged extension (.vsix installed by code-server)', () => {
    let vsix: string;
    let entries: ZipEntry[];
    let extensionsDir: string;
    let workspace: string;
    let home: string;
    let server: CodeServer | undefined;
    let page: Page | undefined;
    before(async function () {
      // npm run package (a production build) and an install, each once for the suite.
      this.timeout(timeouts.workbench * 3);
      vsix = await packageVsix(path.join(ctx.logDir, 'npm-run-package.log'));
      entries = zipEntries(vsix);
      extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-extensions-'));
      workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-packaged-'));
      // A folder linked to the kars project, as a user's would be.
      const link = { projectId: ctx.world.projectId };
      fs.writeFileSync(path.join(workspace, 'railyard.json'), JSON.stringify(link, null, 2));
      home = makeHome('packaged');
      const said = await installExtension(vsix, extensionsDir);
      fs.writeFileSync(path.join(ctx.logDir, 'install-extension.log'), said);
    });
    after(async () => {
      await page?.close();
      await server?.stop();
      if (home) await disposeHome(home);
      for (const dir of [extensionsDir, workspace, vsix && path.dirname(vsix)]) {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    it('the .vsix holds only what runs: minified bundles, media, grammar, schema, README, CHANGELOG, LICENSE', () => {
      const names = entries.map((e) => e.name).sort();
      assert.deepEqual(names, [...fixedEntries, ...shippedAssets()].sort());
      // The entry activation loads, and the rest it loads next.
      for (const name of ['extension', 'extensionMain']) {
        const bundle = entries.find((e) => e.name === `extension/dist/${name}.js`)!.read();
        assert.ok(!bundle.includes('sourceMappingURL'), `dist/${name}.js points at a source map`);
        // Minified: a few long lines, where the development build has one per statement.
        const lines = bundle.toString('utf8').split('\n').length;
        assert.ok(
          bundle.length / lines > 1_000,
          `${name}: ${lines} lines in ${bundle.length} bytes`,
        );
      }
      const shipped = entries.find((e) => e.name === 'extension/package.json')!.read();
      assert.equal((JSON.parse(shipped.toString('utf8')) as typeof pkg).version, pkg.version);
    });

    it('code-server --install-extension unpacks it into the extensions dir, file for file', () => {
      const installed = path.join(extensionsDir, installedName);
      const fromVsix = entries
        .map((e) => e.name)
        .filter((n) => n.startsWith('extension/'))
        .map((n) => n.slice('extension/'.length));
      // VS Code keeps the package's manifest beside the files, as `.vsixmanifest`.
      const files = filesBelow(installed).filter((f) => f !== '.vsixmanifest');
      assert.deepEqual(files.sort(), fromVsix.sort());
    });

    it('opened without the repository, the Railyard view appears and its tree shows the simulator’s kars project', async function () {
      // The sum of its waits (server, window, activation, daemon, tree), so the one that runs out
      // names itself.
      this.timeout(timeouts.workbench * 3 + timeouts.daemon * 2);
      // A server of its own, on its own extensions dir; the window loads no extension under
      // development, so Railyard can only come from what was installed.
      const env = { ...ctx.world.daemonEnv, RAILYARD_HOME: home };
      const logFile = path.join(ctx.logDir, 'code-server-packaged.log');
      server = await startCodeServer({ workspace, env, extensionsDir, logFile });
      const log = fs.createWriteStream(path.join(ctx.logDir, 'packaged.log'));
      page = await openWorkbench(
        ctx.browser,
        { authority: server.authority, folder: workspace },
        { onLog: (level, message) => log.write(`${level} ${message}\n`) },
      );
      page.once('close', () => log.end());
      await waitForWorkbench(page);
      // Activated by the folder's railyard.json as the window opens: its status bar item shows
      // once this fresh server's first extension host is up (part of the window coming up), then
      // says connected once the daemon it started answers.
      const anyState = page.locator('.part.statusbar [aria-label^="Railyard daemon: "]').first();
      await anyState.waitFor({ timeout: timeouts.workbench });
      await waitForStatusBar(page, 'Railyard daemon: connected');
      await openViewContainer(page, 'Railyard');
      await waitForKarsTree(page);
      await screenshot(page, 'packaged-tree');
    });

    it('the daemon runs from the installed extension’s own dist/daemon.js, not from the repository', () => {
      const daemon = runningDaemon(home);
      assert.ok(daemon, `no daemon runs for ${home}`);
      const argv = commandLine(daemon.pid);
      const script = fs.realpathSync(argv[1] ?? '');
      const installed = fs.realpathSync(
        path.join(extensionsDir, installedName, 'dist', 'daemon.js'),
      );
      assert.equal(script, installed, argv.join(' '));
      assert.ok(!script.startsWith(fs.realpathSync(repoRoot)), script);
    });

    it('its details page shows the README with no broken image: each screenshot’s caption in its place', async () => {
      assert.ok(page, 'the window of the test before did not open');
      const readme = await openDetailsPage(page);
      // The header shows the icon package.json names (VS Code's default one otherwise), loaded:
      // decode() waits for the image and fails on one that cannot load.
      const icon = page.locator('.extension-editor .header img.icon');
      const src = await icon.evaluate((img: HTMLImageElement) => img.decode().then(() => img.src));
      assert.match(decodeURIComponent(src), /\/media\/icon\.png\b/, src);
      await readme.getByRole('heading', { name: 'Quick start' }).waitFor(uiWait);
      // Chromium draws a broken-image box for any image that did not load, with or without a src.
      const broken = await readme
        .locator('img')
        .evaluateAll((imgs) =>
          (imgs as HTMLImageElement[])
            .filter((img) => !(img.complete && img.naturalWidth > 0))
            .map((img) => img.outerHTML),
        );
      assert.deepEqual(broken, []);
      const alts = relativeImageAlts();
      assert.ok(alts.length > 0, 'the README shows no screenshot: nothing was checked');
      for (const alt of alts) {
        await readme.getByText(`Screenshot: ${alt}`, { exact: true }).waitFor(uiWait);
      }
      // The first caption in view, for the picture of what a user sees there.
      await readme.getByText(`Screenshot: ${alts[0]}`).scrollIntoViewIfNeeded(uiWait);
      await screenshot(page, 'packaged-details');
    });
  });
}

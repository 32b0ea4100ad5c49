// Renders the extension's icon (media/icon.png, 256×256: the Extensions view and the .vsix show it;
// VS Code takes a PNG there, not an SVG) from the activity-bar symbol, media/railyard.svg, drawn
// light on a dark tile in headless Chromium. Run after changing the symbol: npm run icon.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(import.meta.dirname, '..');
const SIZE = 256;
const out = path.join(repoRoot, 'media', 'icon.png');

/** The symbol on a rounded tile, Railway's near-black to violet, the rails in white. */
function tileHtml(svg: string): string {
  const symbol = svg
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/width="24" height="24"/, 'width="168" height="168"')
    .replace('stroke="currentColor"', 'stroke="#ffffff"');
  return `<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:${SIZE}px;height:${SIZE}px;border-radius:48px;display:flex;align-items:center;
justify-content:center;background:linear-gradient(135deg,#1b1530 0%,#3b2a6e 100%)">${symbol}</div>
</body></html>`;
}

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(repoRoot, 'media', 'railyard.svg'), 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewportSize({ width: SIZE, height: SIZE });
    await page.setContent(tileHtml(svg));
    await page.screenshot({
      path: out,
      omitBackground: true,
      clip: { x: 0, y: 0, width: SIZE, height: SIZE },
    });
    console.log(`wrote ${path.relative(repoRoot, out)} (${fs.statSync(out).size} bytes)`);
  } finally {
    await browser.close();
  }
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

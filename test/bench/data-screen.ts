// The Data screen on a 50,000-image project, in Chromium against the real browser host: how long
// until the first thumbnails show, how many grid cells exist, and how many thumbnails and pages
// are fetched while scrolling from top to bottom (virtualisation: never all at once).
// Run after `npm run build` (it starts the built host): npx tsx test/bench/data-screen.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, startHost } from '../helpers/browser';
import { bigProject } from './import';

/** What the timing code uses of the page's window. */
interface PageWindow {
  clickedAt: number;
  document: {
    addEventListener(type: string, listener: () => void, options: { capture: boolean; once: boolean }): void;
    querySelector(selector: string): { complete: boolean; naturalWidth: number } | null;
  };
}

export async function dataScreenBench(root: string, count = 50_000): Promise<void> {
  const dataDir = join(root, 'data-ui-50k');
  await bigProject(dataDir, count, 200);
  const host = await startHost(dataDir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let thumbnails = 0;
    let socketFrames = 0;
    page.on('request', (request) => {
      if (request.url().includes('/media/thumb/')) thumbnails++;
    });
    page.on('websocket', (socket) => socket.on('framesent', () => socketFrames++));
    await page.goto(host.url);
    // Timed inside the page, from the click on Open to the first thumbnail decoded. This file is
    // compiled without the DOM's types, so the page is reached through a narrow view of it.
    await page.evaluate(() => {
      const win = globalThis as unknown as PageWindow;
      win.document.addEventListener('click', () => (win.clickedAt = performance.now()), { capture: true, once: true });
    });
    await page.getByTestId('project-open').first().click();
    const drawn = await page.waitForFunction(
      () => {
        const win = globalThis as unknown as PageWindow;
        const img = win.document.querySelector('[data-testid="thumbnail"]');
        return img?.complete && img.naturalWidth > 0 ? performance.now() - win.clickedAt : 0;
      },
      undefined,
      { polling: 'raf' },
    );
    const firstPage = Number(await drawn.jsonValue());
    const cells = await page.getByTestId('grid-cell').count();
    console.log(`\nData screen, ${count.toLocaleString('en-US')}-image project in Chromium:`);
    console.log(
      `  click on Open -> first thumbnail drawn: ${firstPage.toFixed(0)} ms; grid cells in the page: ${cells}; thumbnails requested: ${thumbnails}`,
    );

    // One jump to the middle (a dragged scrollbar): until the cells there hold their images.
    const middle = Math.floor(count / 2);
    const jumped = performance.now();
    await page.getByTestId('image-grid').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await page.locator(`[data-testid="grid-cell"][data-index="${middle}"][data-image-id] img`).waitFor();
    console.log(`  jump to the middle -> its page fetched and thumbnails drawn: ${(performance.now() - jumped).toFixed(0)} ms`);

    const [before, framesBefore] = [thumbnails, socketFrames];
    const steps = 40;
    for (let step = 1; step <= steps; step++) {
      await page.getByTestId('image-grid').evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), step / steps);
      await page.waitForTimeout(50);
    }
    await page.locator(`[data-testid="grid-cell"][data-index="${count - 1}"][data-image-id] img`).waitFor();
    console.log(
      `  scrolling top to bottom in ${steps} jumps: thumbnails requested ${thumbnails - before} (of ${count.toLocaleString('en-US')}), ` +
        `calls sent ${socketFrames - framesBefore}, grid cells in the page ${await page.getByTestId('grid-cell').count()}`,
    );
  } finally {
    await browser.close();
    await host.stop();
  }
}

if (require.main === module) {
  const root = mkdtempSync(join(tmpdir(), 'capa-bench-ui-'));
  dataScreenBench(root)
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => rmSync(root, { recursive: true, force: true }));
}

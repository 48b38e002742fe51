// `capa plan` and `capa train` of the built CLI (npm test builds first) on a fresh project, whose
// default is Auto: the plan and its estimate are printed first, training shows its progress as
// plain lines off a terminal and as a bar on one (a pseudo-terminal made by script(1)), and
// --quiet leaves the progress out.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliFor } from '../helpers/cli';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const dataDir = tempDir();
const env = { ...process.env, CAPA_BACKEND: 'wasm' };
const capa = cliFor(dataDir, env);

describe('capa plan and capa train on a fresh project', () => {
  it("prints Auto's plan and estimate, trains it with no option, and shows progress off a terminal", async () => {
    const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 6, size: 16, seed: 2 });
    expect((await capa('create', 'Fresh')).code).toBe(0);
    expect((await capa('import', 'Fresh', shapes)).stdout).toContain('Imported 18 images');

    const plan = await capa('plan', 'Fresh');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("Auto's plan:");
    expect(plan.stdout).toContain('a network is trained from scratch at 16 x 16 px, never larger than the pictures themselves');
    expect(plan.stdout).toMatch(
      /Estimate: about \d+ (seconds|minutes) on this computer \(\d+ pictures x \d+ epochs at ~[\d,]+ pictures\/s on wasm\)/,
    );
    expect((await capa('runs', 'Fresh')).stdout).not.toMatch(/Run 1/);

    const trained = await capa('train', 'Fresh', '--minutes', '2');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/Estimate: about/);
    // The engine it trained on (forced here, so no faster one was tried).
    expect(trained.stdout).toMatch(/^Engine: wasm = WebAssembly \(XNNPACK.*1 thread\); \d+ training and \d+ validation images$/m);
    expect(trained.stdout).not.toContain('  skipped ');
    // Off a terminal: plain lines with the batch, the loss, the speed and the time left.
    expect(trained.stdout).toMatch(/^Epoch 1\/\d+ batch 1\/1 \(100%\) loss \d\.\d{4}, \d+ pictures\/s, .+ left$/m);
    expect(trained.stdout).not.toContain('\r');
    expect(trained.stdout).toMatch(/Run \S+ completed; best validation accuracy [\d.]+% \(epoch \d+\); took \d+ s \(estimated \d+ s\)\./);
    expect((await capa('runs', 'Fresh')).stdout).toMatch(/Run 1\s+completed.*auto/);
  });

  it('draws a bar on a terminal, and nothing of the progress with --quiet', async () => {
    const line = (args: string[]) =>
      [process.execPath, join(__dirname, '../../out/main/cli/main.js'), ...args, '--data-dir', dataDir].map((a) => `'${a}'`).join(' ');
    const tty = await promisify(execFile)('script', ['-qec', line(['train', 'Fresh', '--epochs', '1']), '/dev/null'], { env });
    expect(tty.stdout).toMatch(/\r\x1b\[2KEpoch 1\/1 batch \[#+\.*\] 1\/1 loss/);
    const quiet = await capa('train', 'Fresh', '--epochs', '1', '--quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/Epoch 1\/1 batch/);
    expect(quiet.stdout).toMatch(/Run \S+ completed/);
  });
});

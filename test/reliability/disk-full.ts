// A full disk: the data folder lives on a small tmpfs, filled up with a filler file, then an
// import, a data set export and a model export are tried. Each must stop with the 'disk-full'
// error value, leave no half-written file, and lose nothing saved before. Mounting needs root:
// where it is not permitted the trials are skipped with the reason.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync, ftruncateSync, fstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationName, Result } from '../../preload/contract';
import { createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { colourImage, trainColourProject, writeColourDataset } from '../helpers/colours';
import { projectProblems } from './check';
import { allImages } from './protocol';
import type { Outcome } from './report';

/** Mounts a tmpfs of `megabytes` at `dir`; returns why it could not, or null. */
function mountTmpfs(dir: string, megabytes: number): string | null {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mounting a tmpfs is not permitted here (${(error as { stderr?: Buffer }).stderr?.toString().trim() || String(error)})`;
  }
}

/** Fills the file system of `file` until it is full, then frees `leaveBytes` of it. */
function fillDisk(file: string, leaveBytes: number): void {
  const fd = openSync(file, 'a');
  const chunk = Buffer.alloc(64 * 1024, 7);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // ENOSPC: full now.
  }
  ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leaveBytes));
  closeSync(fd);
}

/** The error value an operation must give on a full disk, as problems (none when right). */
function diskFullProblems(name: string, result: Result<unknown>): string[] {
  if (result.ok) return [`${name} succeeded on a full disk (the filler left too much room)`];
  if (result.error.code !== 'disk-full')
    return [`${name} failed with "${result.error.code}" instead of "disk-full": ${result.error.message}`];
  return /free some space/i.test(result.error.message) && /another/i.test(result.error.message)
    ? []
    : [`${name}: the message does not say what to do: ${result.error.message}`];
}

/** Runs the full-disk attempts under `root`; `skipped` says why when they cannot run here. */
export async function diskFullTrials(root: string): Promise<{ skipped?: string; trials: Outcome[] }> {
  const mount = join(root, 'small-disk');
  const refused = mountTmpfs(mount, 6);
  if (refused) return { skipped: refused, trials: [] };
  let service: CapaService | undefined;
  try {
    // Pictures to import come from elsewhere: noisy 96x96 PNGs, about 25 kB each.
    const big = join(root, 'big');
    mkdirSync(join(big, 'noise'), { recursive: true });
    for (let i = 0; i < 80; i++)
      writeFileSync(join(big, 'noise', `noise-${i}.png`), await colourImage(i % 2 ? 'red' : 'blue', 7000 + i, 96));
    const dataDir = join(mount, 'data');
    service = createCapaService({ dataDir, host: 'electron' });
    const { project, run } = await trainColourProject(service, 'Full disk', await writeColourDataset(join(root, 'colours'), 10), 2);
    const projectId = project.id;
    const before = new Map((await allImages(service, projectId)).map((image) => [image.id, image.classId]));
    const filler = join(mount, 'filler');
    // Room left for each: the import's first chunk fits, so it stops half-way; the exports are small.
    const attempts: [string, OperationName, unknown, number][] = [
      ['import on a full disk', 'importPaths', { projectId, paths: [big] }, 200 * 1024],
      ['data set export on a full disk', 'exportDataset', { projectId, format: 'zip' }, 4096],
      ['model export on a full disk', 'exportRun', { projectId, runId: run.id, format: 'tfjs' }, 4096],
    ];
    const trials: Outcome[] = [];
    for (const [name, operation, request, room] of attempts) {
      fillDisk(filler, room);
      const problems = diskFullProblems(name, await service.call(operation, request));
      problems.push(...(await projectProblems(join(dataDir, projectId))));
      const after = new Map((await allImages(service, projectId)).map((image) => [image.id, image.classId]));
      const lost = [...before].filter(([id, classId]) => after.get(id) !== classId).length;
      trials.push({ name, problems, lost });
    }
    // With room again, the same import goes through.
    rmSync(filler);
    const retried = await service.call('importPaths', { projectId, paths: [big] });
    trials.push({
      name: 'import again once space is freed',
      problems: retried.ok ? await projectProblems(join(dataDir, projectId)) : [retried.error.message],
      lost: 0,
    });
    return { trials };
  } finally {
    await service?.close();
    execFileSync('umount', [mount]);
  }
}

// What the crash harness's child reports to its parent, one JSON object per stdout line, and
// the helpers both sides use.
import type { ImageInfo, RunEvent } from '../../preload/contract';
import { callOrThrow } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';

/** Resolves with the `done` event of the run `runId()` names. */
export function runDone(service: CapaService, runId: () => string | undefined): Promise<Extract<RunEvent, { kind: 'done' }>> {
  return new Promise((resolve) => {
    const stop = service.onRunEvent((event) => {
      if (event.kind === 'done' && event.runId === runId()) {
        stop();
        resolve(event);
      }
    });
  });
}

/** Every image of a project, a page (the largest listImages allows) at a time. */
export async function allImages(service: CapaService, projectId: string): Promise<ImageInfo[]> {
  const images: ImageInfo[] = [];
  for (;;) {
    const page = await callOrThrow(service, 'listImages', { projectId, offset: images.length, limit: 1000 });
    images.push(...page.images);
    if (page.images.length === 0 || images.length >= page.total) return images;
  }
}

/** The kinds of work the harness kills in the middle of. */
export const SCENARIOS = ['import', 'relabel', 'train', 'evaluate', 'export'] as const;
/** One kind of work. */
export type Scenario = (typeof SCENARIOS)[number];

/** A line the child prints. */
export type ChildLine =
  /** The service is up; the work starts now. */
  | { kind: 'ready' }
  /** The work ran out before the kill. */
  | { kind: 'idle' }
  /** The work threw: a defect, not a crash. */
  | { kind: 'failed'; message: string }
  /** An import of one batch folder finished, adding `count` images. */
  | { kind: 'imported'; count: number }
  /** About to move these images to this class (null: Unlabelled). */
  | { kind: 'intent'; imageIds: number[]; classId: number | null }
  /** The move announced by the last intent is committed. */
  | { kind: 'committed'; imageIds: number[]; classId: number | null }
  /** A run was queued. */
  | { kind: 'run'; runId: string }
  /** An export finished under this name in the project's exports folder. */
  | { kind: 'exported'; name: string }
  /** An evaluation of a run was stored under this id. */
  | { kind: 'evaluated'; runId: string; split: string; weights: string; evaluationId: number };

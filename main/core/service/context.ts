// What every area's handlers share: the open projects, the training process and queue, the
// host's options, and the building blocks of request schemas.
import { z } from 'zod';
import { zodSays } from '../../../common/messages/said';
import type { BackboneCache } from '../backbones/cache';
import type { EvaluationRunner } from '../evaluation/evaluate';
import type { BackgroundImports } from '../dataset/background-imports';
import { MAX_NAME_LENGTH, type ProjectLibrary } from '../projects/library';
import type { CapaServiceOptions } from './service-types';
import type { TrainerClient } from '../runs/trainer-client';
import type { TrainingQueue } from '../runs/queue';

export interface ServiceContext {
  library: ProjectLibrary;
  trainer: TrainerClient;
  queue: TrainingQueue;
  /** Imports running in the background, with their events. */
  imports: BackgroundImports;
  /** Evaluations of runs: asked for on the Evaluate screen, and the final one after each run. */
  evaluations: EvaluationRunner;
  /** Pretrained networks for transfer learning, cached under the data folder. */
  backbones: BackboneCache;
  options: CapaServiceOptions;
}

/** One handler per operation of an area, typed by the contract. */
export type HandlersOf<Ops> = {
  [K in keyof Ops]: Ops[K] extends { request: infer Req; response: infer Res } ? (request: Req) => Res | Promise<Res> : never;
};

/** One request schema per operation of an area; the compiler checks each matches the contract. */
export type SchemasOf<Ops> = { [K in keyof Ops]: Ops[K] extends { request: infer Req } ? z.ZodType<Req> : never };

export const projectId = z.string().min(1).max(100);
export const name = z
  .string()
  .trim()
  .min(1, zodSays('errors.context.nameEmpty'))
  .max(MAX_NAME_LENGTH, zodSays('errors.context.nameTooLong'));
export const classId = z.number().int().positive();
export const imageIds = z.array(z.number().int().positive()).max(100_000);
export const runId = z.string().min(1).max(100);
export const empty = z.object({}).strict();
/** A picture's bytes sent by the screen (a prediction, a look inside). */
export const imageBytes = z.instanceof(Uint8Array).refine((b) => b.length > 0, zodSays('errors.inside.imageEmpty'));

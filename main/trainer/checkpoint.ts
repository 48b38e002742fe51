// A run's checkpoint: after every epoch the trainer writes the model's weights, the optimizer's
// whole state, the weights early stopping may restore, and the epoch loop's own state (epoch,
// learning rate, callbacks, best epoch, metrics so far) into ONE file, renamed into place, so a
// kill at any moment leaves the previous checkpoint whole. Resuming reads it back into a freshly
// built model and continues from the next epoch with the same seeds.
import { readFile, rm } from 'node:fs/promises';
import type { EpochMetrics } from '../../preload/contract';
import type { EarlyStoppingState, PlateauState } from './callbacks';
import type { Tf } from './tf';
import { writeFileAtomically } from '../core/files/atomic';
import { runFolderPaths } from '../core/projects/project-paths';
import { applyState, captureState, type TensorEntry } from './model-state';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

const FORMAT_VERSION = 1;

/** The epoch loop's state after a finished epoch, besides tensors. */
export interface LoopState {
  /** The last finished epoch (1-based); resuming starts at the next one. */
  epoch: number;
  /** Learning rate in force (reduce-on-plateau may have lowered it). */
  learningRate: number;
  /** Metrics of the best epoch so far. */
  best: EpochMetrics | null;
  /** Epoch whose weights are in `best/`; 0 before any. */
  bestEpoch: number;
  /** Metrics of every finished epoch, so a resumed run can report them again. */
  history: EpochMetrics[];
  /** Early stopping's counters, when the spec uses it. */
  earlyStopping: EarlyStoppingState | null;
  /** Reduce-on-plateau's counters, when the spec uses it. */
  reduceLr: PlateauState | null;
}

interface Header {
  version: number;
  state: LoopState;
  /** The optimizer's plain-number fields (its step counter). */
  optimizerNumbers: Record<string, number>;
  tensors: TensorEntry[];
}

/** A checkpoint read from disk, tensors still as bytes (reading needs no backend). */
export interface Checkpoint {
  /** The epoch loop's state when it was written. */
  state: LoopState;
  /** Where each tensor's bytes go back to. */
  header: Header;
  /** The tensors' bytes, one after another in header order. */
  data: Buffer;
}

/** Writes the checkpoint of `model` (and its optimizer) atomically into `outDir`. */
export async function writeCheckpoint(
  model: LayersModel,
  restoreWeights: readonly Tensor[] | null,
  state: LoopState,
  outDir: string,
): Promise<void> {
  const { optimizerNumbers, tensors, data } = await captureState(model, restoreWeights);
  const header: Header = { version: FORMAT_VERSION, state, optimizerNumbers, tensors };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  await writeFileAtomically(runFolderPaths(outDir).checkpoint, Buffer.concat([length, json, data]));
}

/** The run's checkpoint, or null when there is none (killed before its first epoch ended). */
export async function readCheckpoint(outDir: string): Promise<Checkpoint | null> {
  let file: Buffer;
  try {
    file = await readFile(runFolderPaths(outDir).checkpoint);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  const length = file.readUInt32LE(0);
  const header = JSON.parse(file.subarray(4, 4 + length).toString('utf8')) as Header;
  if (header.version !== FORMAT_VERSION)
    throw new Error(`The run's checkpoint has format ${header.version}; this Capa reads format ${FORMAT_VERSION}.`);
  return { state: header.state, header, data: file.subarray(4 + length) };
}

/** Deletes the checkpoint (a completed run cannot resume, and it holds several copies of the weights). */
export async function deleteCheckpoint(outDir: string): Promise<void> {
  await rm(runFolderPaths(outDir).checkpoint, { force: true });
}

/**
 * Puts a checkpoint's tensors back into a freshly built and compiled `model` and its optimizer;
 * returns the weights early stopping may restore (the caller owns them), or null.
 */
export function restoreCheckpoint(tf: Tf, checkpoint: Checkpoint, model: LayersModel): Tensor[] | null {
  return applyState(
    tf,
    { optimizerNumbers: checkpoint.header.optimizerNumbers, tensors: checkpoint.header.tensors, data: checkpoint.data },
    model,
  );
}

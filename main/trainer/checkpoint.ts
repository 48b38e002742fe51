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

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type Variable = import('@tensorflow/tfjs').Variable;
type DataType = import('@tensorflow/tfjs').DataType;

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

/** Where a saved tensor goes back to. */
type Slot =
  | { group: 'model'; index: number }
  | { group: 'restore'; index: number }
  /** A tf.Variable field of the optimizer (Adam's accumulated beta powers, Adamax's step). */
  | { group: 'optimizer-variable'; field: string }
  /** One entry of a per-weight slot list of the optimizer (moments, accumulators). */
  | { group: 'optimizer-slot'; field: string; index: number; originalName: string };

interface TensorEntry {
  slot: Slot;
  shape: number[];
  dtype: DataType;
  /** Bytes in the data section. */
  bytes: number;
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

interface SlotEntry {
  originalName: string;
  variable: Variable;
}

const isVariable = (value: unknown): value is Variable =>
  typeof value === 'object' && value !== null && typeof (value as Variable).assign === 'function' && typeof (value as Variable).trainable === 'boolean';
const isSlotList = (value: unknown): value is SlotEntry[] =>
  Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'object' && entry !== null && isVariable((entry as SlotEntry).variable));

// tfjs's optimizer.getWeights() is not enough: Adamax does not implement it, and Adam's
// setWeights recomputes its beta powers with pow(), which differs in the last bits from the
// running product training keeps, so a resumed run would drift. Saving every Variable the
// optimizer holds (and its step counter) restores it exactly, for all six optimizers.
function optimizerFields(optimizer: object): { numbers: Record<string, number>; variables: [string, Variable][]; slots: [string, SlotEntry[]][] } {
  const numbers: Record<string, number> = {};
  const variables: [string, Variable][] = [];
  const slots: [string, SlotEntry[]][] = [];
  for (const [field, value] of Object.entries(optimizer)) {
    if (field === 'iterations_' && typeof value === 'number') numbers[field] = value;
    else if (isVariable(value)) variables.push([field, value]);
    else if (isSlotList(value)) slots.push([field, value]);
  }
  return { numbers, variables, slots };
}

/** Writes the checkpoint of `model` (and its optimizer) atomically into `outDir`. */
export async function writeCheckpoint(model: LayersModel, restoreWeights: readonly Tensor[] | null, state: LoopState, outDir: string): Promise<void> {
  const pairs: [Slot, Tensor][] = [];
  // getWeights() returns the variables themselves: nothing to dispose.
  model.getWeights().forEach((tensor, index) => pairs.push([{ group: 'model', index }, tensor]));
  restoreWeights?.forEach((tensor, index) => pairs.push([{ group: 'restore', index }, tensor]));
  const fields = model.optimizer ? optimizerFields(model.optimizer) : { numbers: {}, variables: [], slots: [] };
  for (const [field, variable] of fields.variables) pairs.push([{ group: 'optimizer-variable', field }, variable]);
  for (const [field, list] of fields.slots) {
    list.forEach((entry, index) => pairs.push([{ group: 'optimizer-slot', field, index, originalName: entry.originalName }, entry.variable]));
  }
  const chunks: Buffer[] = [];
  const tensors: TensorEntry[] = [];
  for (const [slot, tensor] of pairs) {
    const values = await tensor.data();
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    chunks.push(bytes);
    tensors.push({ slot, shape: tensor.shape, dtype: tensor.dtype, bytes: bytes.length });
  }
  const header: Header = { version: FORMAT_VERSION, state, optimizerNumbers: fields.numbers, tensors };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  await writeFileAtomically(runFolderPaths(outDir).checkpoint, Buffer.concat([length, json, ...chunks]));
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
  if (header.version !== FORMAT_VERSION) throw new Error(`The run's checkpoint has format ${header.version}; this Capa reads format ${FORMAT_VERSION}.`);
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
  const modelWeights: Tensor[] = [];
  const restore: Tensor[] = [];
  const slots = new Map<string, SlotEntry[]>();
  const optimizer = model.optimizer as unknown as Record<string, unknown> | undefined;
  let offset = 0;
  for (const entry of checkpoint.header.tensors) {
    const bytes = checkpoint.data.subarray(offset, offset + entry.bytes);
    offset += entry.bytes;
    // Copied into an aligned buffer: the typed array views need 4-byte alignment.
    const buffer = new Uint8Array(bytes).buffer;
    const values = entry.dtype === 'int32' ? new Int32Array(buffer) : entry.dtype === 'bool' ? new Uint8Array(buffer) : new Float32Array(buffer);
    const tensor = tf.tensor(values, entry.shape, entry.dtype);
    const { slot } = entry;
    if (slot.group === 'model') modelWeights[slot.index] = tensor;
    else if (slot.group === 'restore') restore[slot.index] = tensor;
    else if (!optimizer) tensor.dispose();
    else if (slot.group === 'optimizer-variable') {
      const target = optimizer[slot.field];
      if (isVariable(target)) target.assign(tensor);
      tensor.dispose();
    } else {
      const list = slots.get(slot.field) ?? [];
      list[slot.index] = { originalName: slot.originalName, variable: tensor.variable(false) };
      tensor.dispose(); // the variable keeps its own reference to the data
      slots.set(slot.field, list);
    }
  }
  if (modelWeights.length !== model.getWeights().length) {
    modelWeights.forEach((t) => t.dispose());
    restore.forEach((t) => t.dispose());
    throw new Error(`The checkpoint holds ${modelWeights.length} weight tensors but the model has ${model.getWeights().length}: it belongs to another network.`);
  }
  model.setWeights(modelWeights);
  modelWeights.forEach((t) => t.dispose());
  if (optimizer) {
    for (const [field, list] of slots) {
      const previous = optimizer[field];
      if (isSlotList(previous)) previous.forEach((entry) => entry.variable.dispose());
      optimizer[field] = list;
    }
    Object.assign(optimizer, checkpoint.header.optimizerNumbers);
  }
  return restore.length > 0 ? restore : null;
}

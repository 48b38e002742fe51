// A model's whole training state as plain bytes: its weights, every Variable its optimizer holds
// (and its step counter), and the weights early stopping may restore. Pure (no node:*), so the
// checkpoint file (checkpoint.ts) and the Chromium engine (engines/chromium*) move the same state
// the same way: a run resumes exactly, whichever engine trained it.
import type { Tf } from './tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type Variable = import('@tensorflow/tfjs').Variable;
type DataType = import('@tensorflow/tfjs').DataType;

/** Where a saved tensor goes back to. */
export type Slot =
  | { group: 'model'; index: number }
  | { group: 'restore'; index: number }
  /** A tf.Variable field of the optimizer (Adam's accumulated beta powers, Adamax's step). */
  | { group: 'optimizer-variable'; field: string }
  /** One entry of a per-weight slot list of the optimizer (moments, accumulators). */
  | { group: 'optimizer-slot'; field: string; index: number; originalName: string };

export interface TensorEntry {
  slot: Slot;
  shape: number[];
  dtype: DataType;
  /** Bytes in the data section. */
  bytes: number;
}

/** A captured state: where each tensor goes, and their bytes one after another in that order. */
export interface ModelState {
  /** The optimizer's plain-number fields (its step counter). */
  optimizerNumbers: Record<string, number>;
  tensors: TensorEntry[];
  data: Uint8Array;
}

interface SlotEntry {
  originalName: string;
  variable: Variable;
}

const isVariable = (value: unknown): value is Variable =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Variable).assign === 'function' &&
  typeof (value as Variable).trainable === 'boolean';
const isSlotList = (value: unknown): value is SlotEntry[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((entry) => typeof entry === 'object' && entry !== null && isVariable((entry as SlotEntry).variable));

// tfjs's optimizer.getWeights() is not enough: Adamax does not implement it, and Adam's
// setWeights recomputes its beta powers with pow(), which differs in the last bits from the
// running product training keeps, so a resumed run would drift. Saving every Variable the
// optimizer holds (and its step counter) restores it exactly, for all six optimizers.
function optimizerFields(optimizer: object): {
  numbers: Record<string, number>;
  variables: [string, Variable][];
  slots: [string, SlotEntry[]][];
} {
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

/** Reads the state of `model` (and its optimizer) into bytes. */
export async function captureState(model: LayersModel, restoreWeights: readonly Tensor[] | null): Promise<ModelState> {
  const pairs: [Slot, Tensor][] = [];
  // getWeights() returns the variables themselves: nothing to dispose.
  model.getWeights().forEach((tensor, index) => pairs.push([{ group: 'model', index }, tensor]));
  restoreWeights?.forEach((tensor, index) => pairs.push([{ group: 'restore', index }, tensor]));
  const fields = model.optimizer ? optimizerFields(model.optimizer) : { numbers: {}, variables: [], slots: [] };
  for (const [field, variable] of fields.variables) pairs.push([{ group: 'optimizer-variable', field }, variable]);
  for (const [field, list] of fields.slots) {
    list.forEach((entry, index) =>
      pairs.push([{ group: 'optimizer-slot', field, index, originalName: entry.originalName }, entry.variable]),
    );
  }
  const chunks: Uint8Array[] = [];
  const tensors: TensorEntry[] = [];
  for (const [slot, tensor] of pairs) {
    const values = await tensor.data();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    chunks.push(bytes);
    tensors.push({ slot, shape: tensor.shape, dtype: tensor.dtype, bytes: bytes.length });
  }
  const data = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.length;
  }
  return { optimizerNumbers: fields.numbers, tensors, data };
}

/**
 * Puts a captured state back into `model` (freshly built and compiled, or one that trained) and its
 * optimizer; returns the weights early stopping may restore (the caller owns them), or null.
 */
export function applyState(tf: Tf, state: ModelState, model: LayersModel): Tensor[] | null {
  const modelWeights: Tensor[] = [];
  const restore: Tensor[] = [];
  const slots = new Map<string, SlotEntry[]>();
  const optimizer = model.optimizer as unknown as Record<string, unknown> | undefined;
  let offset = 0;
  for (const entry of state.tensors) {
    const bytes = state.data.subarray(offset, offset + entry.bytes);
    offset += entry.bytes;
    // Copied into an aligned buffer: the typed array views need 4-byte alignment.
    const buffer = new Uint8Array(bytes).buffer;
    const values =
      entry.dtype === 'int32' ? new Int32Array(buffer) : entry.dtype === 'bool' ? new Uint8Array(buffer) : new Float32Array(buffer);
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
    throw new Error(
      `The checkpoint holds ${modelWeights.length} weight tensors but the model has ${model.getWeights().length}: it belongs to another network.`,
    );
  }
  model.setWeights(modelWeights);
  modelWeights.forEach((t) => t.dispose());
  if (optimizer) {
    for (const [field, list] of slots) {
      const previous = optimizer[field];
      if (isSlotList(previous)) previous.forEach((entry) => entry.variable.dispose());
      optimizer[field] = list;
    }
    Object.assign(optimizer, state.optimizerNumbers);
  }
  return restore.length > 0 ? restore : null;
}

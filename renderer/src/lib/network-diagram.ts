// The model diagram's blocks: the input, each layer of the summary and the output, each sized by
// its output shape on log scales so a 224x224x3 picture and a Dense(10) both fit on one line.
import type { ModelSpec } from '../../../common/model/spec';
import type { ModelSummary } from '../../../common/model/summary';
import { layerCode, OUTPUT_LAYER_CODE } from '../../../common/model/keras-code';

/** One block of the diagram. */
export interface DiagramBlock {
  /** Keras-style name ("conv2d"), or "input". */
  name: string;
  /** Layer class name ("Conv2D"), or "Input". */
  type: string;
  /** Output shape without the batch dimension. */
  shape: number[];
  params: number;
  /** The layer's Keras line; null for a pretrained backbone (its own model). */
  code: string | null;
  /** Block height in pixels: grows with the spatial size (1 for a vector). */
  height: number;
  /** Block width in pixels: grows with the channels or units. */
  width: number;
}

/** Pixel size of a block for an output shape: log2 of the side and of the depth. */
export function blockSize(shape: readonly number[]): { width: number; height: number } {
  const side = shape.length >= 3 ? Math.max(shape[0]!, shape[1]!) : 1;
  const depth = shape.at(-1) ?? 1;
  return { height: Math.round(16 + 14 * Math.log2(Math.max(1, side))), width: Math.round(8 + 7 * Math.log2(Math.max(1, depth))) };
}

/** The blocks of a valid spec's summary, input first, output last. */
export function diagramBlocks(spec: ModelSpec, summary: ModelSummary): DiagramBlock[] {
  const { height, width, channels } = spec.input;
  const input = [height, width, channels];
  const blocks: DiagramBlock[] = [
    { name: 'input', type: 'Input', shape: input, params: 0, code: `keras.Input(shape=(${input.join(', ')}))`, ...blockSize(input) },
  ];
  summary.rows.forEach((row, i) => {
    const last = i === summary.rows.length - 1;
    const code = row.layerIndex !== null ? layerCode(spec.layers[row.layerIndex]!) : last ? OUTPUT_LAYER_CODE : null;
    blocks.push({ name: row.name, type: row.type, shape: row.outputShape, params: row.params, code, ...blockSize(row.outputShape) });
  });
  return blocks;
}

// Training kernels that @tensorflow/tfjs-backend-wasm 4.22 does not ship, composed from kernels
// it does ship, so convolutional networks train in WebAssembly instead of falling back to the
// plain JavaScript backend (about 100x slower).
//
// Of the 15 kernels WASM lacks, fitting our layers (Conv2D valid/same, strides 1/2; MaxPooling2D;
// Flatten; Dense; Dropout; relu/sigmoid/tanh/softmax/elu/selu/swish; adam/sgd/rmsprop) needs only
// Conv2DBackpropFilter: every other gradient (Conv2DBackpropInput, MaxPoolGrad, EluGrad, ...) is
// present. test/unit/wasm-kernels.test.ts trains each combination on WASM to keep that true.
//
// The kernels call the WASM backend's own kernel functions rather than `tf` ops: a kernel runs
// inside the engine (possibly while it records a gradient tape), so nested ops would be tracked
// as tensors and tape nodes. Intermediate results are freed with `backend.disposeData`.
import type { Tf } from './tf';

type KernelBackend = import('@tensorflow/tfjs').KernelBackend;
type TensorInfo = import('@tensorflow/tfjs').TensorInfo;
type NamedAttrMap = import('@tensorflow/tfjs').NamedAttrMap;
type Shape4 = [number, number, number, number];

/** Names of the kernels this module adds to the WASM backend. */
export const WASM_EXTRA_KERNELS = ['Conv2DBackpropFilter'] as const;

/** Runs one kernel of the WASM backend directly, returning its single output. */
function run(tf: Tf, backend: KernelBackend, name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The WASM backend has no ${name} kernel.`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`${name} returned several outputs.`);
  return out;
}

/**
 * dFilter of a 2-D convolution (NHWC), as a convolution of the input with the output gradient:
 * pad and crop x exactly as the forward pass read it, then
 * conv2d(transpose(x, [3,1,2,0]), transpose(dy, [1,2,0,3]), strides 1, valid, dilations = strides)
 * and transpose the [inC, kh, kw, outC] result to [kh, kw, inC, outC].
 */
function conv2DBackpropFilter(tf: Tf, args: { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs: NamedAttrMap }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs['x']!;
  const dy = inputs['dy']!;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: Shape4;
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on WASM supports channels-last (NHWC) data only.');
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [batch, height, width, inChannels] = x.shape as Shape4;
  const { top, left } = info.padInfo;
  // Rows and columns of the padded input the forward pass actually read.
  const usedHeight = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const usedWidth = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => (temporaries.push(t), t);
  try {
    let input = x;
    const bottom = Math.max(0, usedHeight - height - top);
    const right = Math.max(0, usedWidth - width - left);
    if (top > 0 || left > 0 || bottom > 0 || right > 0) {
      const paddings = [[0, 0], [top, bottom], [left, right], [0, 0]];
      input = keep(run(tf, backend, 'PadV2', { x: input }, { paddings, constantValue: 0 } as unknown as NamedAttrMap));
    }
    if (input.shape[1] !== usedHeight || input.shape[2] !== usedWidth) {
      input = keep(run(tf, backend, 'Slice', { x: input }, { begin: [0, 0, 0, 0], size: [batch, usedHeight, usedWidth, inChannels] }));
    }
    const xT = keep(run(tf, backend, 'Transpose', { x: input }, { perm: [3, 1, 2, 0] }));
    const dyT = keep(run(tf, backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
    const product = keep(
      run(tf, backend, 'Conv2D', { x: xT, filter: dyT }, {
        strides: [1, 1],
        pad: 'valid',
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
        dimRoundingMode: undefined,
      } as unknown as NamedAttrMap),
    );
    return run(tf, backend, 'Transpose', { x: product }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** Registers the missing training kernels on the WASM backend; safe to call more than once. */
export function registerWasmTrainingKernels(tf: Tf): void {
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: (args) => conv2DBackpropFilter(tf, args as unknown as Parameters<typeof conv2DBackpropFilter>[1]),
    });
  }
}

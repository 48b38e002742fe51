// Training kernels that @tensorflow/tfjs-backend-wasm 4.22 does not ship, composed from kernels
// it does ship, so convolutional networks train in WebAssembly instead of falling back to the
// plain JavaScript backend (about 100x slower).
//
// DepthwiseConv2D and SeparableConv2D need both depthwise gradients, which WASM lacks too: the
// filter gradient is one strided slice x output-gradient product summed per filter tap, the input
// gradient a depthwise convolution of the spread output gradient with the flipped filter.
//
// Tile is wrapped: BatchNormalization's gradient tiles a per-channel vector to the whole batch,
// and the shipped kernel's element-by-element loop took 329 ms for [1,1,1,32] -> [32,64,64,32]
// where a broadcasting multiply by ones takes 3.5 ms (measured here), a quarter of the Deeper
// CNN's training step. Tiles that only repeat axes of size 1 take that route; others the shipped one.
//
// Of the 15 kernels WASM lacks, fitting our layers (Conv2D valid/same, strides 1/2; MaxPooling2D;
// Flatten; Dense; Dropout; relu/sigmoid/tanh/softmax/elu/selu/swish; adam/sgd/rmsprop) needs only
// Conv2DBackpropFilter: every other gradient (Conv2DBackpropInput, MaxPoolGrad, EluGrad, ...) is
// present. test/unit/wasm-kernels.test.ts trains each combination on WASM to keep that true.
//
// Conv2DBackpropInput is replaced too: WASM ships it as a plain C++ loop that takes 5-10x the
// time of the XNNPACK forward convolution (measured here: 120 ms against 12 ms for a batch of
// 32 at 31x31x16 -> 32 filters), half of a small CNN's training step. As a convolution of the
// zero-dilated, padded output gradient with the flipped filter it runs in XNNPACK too.
//
// BatchMatMul is wrapped: with transposeA or transposeB (every Dense gradient) the shipped kernel
// leaves XNNPACK for a loop 6-10x slower than transposing first (measured here: 29 ms against
// 4.5 ms for the 6272x96 weight gradient of a batch of 32), so the wrapper transposes explicitly.
//
// The kernels call the WASM backend's own kernel functions rather than `tf` ops: a kernel runs
// inside the engine (possibly while it records a gradient tape), so nested ops would be tracked
// as tensors and tape nodes. Intermediate results are freed with `backend.disposeData`.
import type { Tf } from './tf';

type KernelBackend = import('@tensorflow/tfjs').KernelBackend;
type TensorInfo = import('@tensorflow/tfjs').TensorInfo;
type NamedAttrMap = import('@tensorflow/tfjs').NamedAttrMap;
type Shape4 = [number, number, number, number];

/** Names of the kernels this module adds to (or replaces in) the WASM backend. */
export const WASM_EXTRA_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'BatchMatMul',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'Tile',
  'MaxPoolGrad',
] as const;

type KernelArgs = { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs: NamedAttrMap };

/** Attributes of both convolution gradient kernels, as tfjs-core passes them. */
interface ConvGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

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
function conv2DBackpropFilter(tf: Tf, args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs['x']!;
  const dy = inputs['dy']!;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as ConvGradAttrs & { filterShape: Shape4 };
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
      const paddings = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
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

type Conv2DInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>;

/**
 * dy of a convolution spread out with stride-1 zeros between values and padded so that a
 * stride-1 'valid' convolution with the spatially flipped filter yields dx of `inputShape`.
 */
function spreadForInputGradient(
  tf: Tf,
  backend: KernelBackend,
  dy: TensorInfo,
  info: Conv2DInfo,
  inputShape: Shape4,
  keep: (t: TensorInfo) => TensorInfo,
): TensorInfo {
  const [batch, height, width] = inputShape;
  const { outHeight, outWidth, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const outChannels = dy.shape[3]!;
  let spread = dy;
  if (sw > 1) {
    // Zeros after each column, then after each row, with rank-4 reshapes and pads only.
    spread = keep(run(tf, backend, 'Reshape', { x: spread }, { shape: [batch * outHeight, outWidth, 1, outChannels] }));
    spread = keep(
      run(tf, backend, 'PadV2', { x: spread }, {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      } as unknown as NamedAttrMap),
    );
    spread = keep(run(tf, backend, 'Reshape', { x: spread }, { shape: [batch, outHeight, outWidth * sw, outChannels] }));
  }
  if (sh > 1) {
    const spreadWidth = spread.shape[2]!;
    spread = keep(run(tf, backend, 'Reshape', { x: spread }, { shape: [batch, outHeight, 1, spreadWidth * outChannels] }));
    spread = keep(
      run(tf, backend, 'PadV2', { x: spread }, {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
        ],
        constantValue: 0,
      } as unknown as NamedAttrMap),
    );
    spread = keep(run(tf, backend, 'Reshape', { x: spread }, { shape: [batch, outHeight * sh, spreadWidth, outChannels] }));
  }
  // Pad so that output row i reads spread rows i + top - (kh - 1) .. i + top, then cut to size.
  const neededHeight = height + kh - 1;
  const neededWidth = width + kw - 1;
  const padTop = kh - 1 - info.padInfo.top;
  const padLeft = kw - 1 - info.padInfo.left;
  if (padTop < 0 || padLeft < 0) throw new Error('Conv2DBackpropInput on WASM: padding larger than the kernel is not supported.');
  const padBottom = Math.max(0, neededHeight - padTop - spread.shape[1]!);
  const padRight = Math.max(0, neededWidth - padLeft - spread.shape[2]!);
  if (padTop || padLeft || padBottom || padRight) {
    const paddings = [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ];
    spread = keep(run(tf, backend, 'PadV2', { x: spread }, { paddings, constantValue: 0 } as unknown as NamedAttrMap));
  }
  if (spread.shape[1] !== neededHeight || spread.shape[2] !== neededWidth) {
    spread = keep(run(tf, backend, 'Slice', { x: spread }, { begin: [0, 0, 0, 0], size: [batch, neededHeight, neededWidth, outChannels] }));
  }
  return spread;
}

/**
 * dx of a 2-D convolution (NHWC): the forward convolution read x[o*s + k - pad] for output o and
 * tap k, so dx is a stride-1 'valid' convolution of dy spread out with s-1 zeros between values
 * (and padded by kernel-1-pad before) with the filter flipped in space and in/out channels swapped.
 */
function conv2DBackpropInput(tf: Tf, args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs['dy']!;
  const filter = inputs['filter']!;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as ConvGradAttrs & { inputShape: Shape4 };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput on WASM supports channels-last (NHWC) data only.');
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as Shape4,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => (temporaries.push(t), t);
  try {
    const spread = spreadForInputGradient(tf, backend, dy, info, inputShape, keep);
    const flipped = keep(run(tf, backend, 'Reverse', { x: filter }, { dims: [0, 1] }));
    const swapped = keep(run(tf, backend, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }));
    return run(tf, backend, 'Conv2D', { x: spread, filter: swapped }, {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** Attributes of both depthwise gradient kernels. */
type DepthwiseGradAttrs = ConvGradAttrs & { dilations: number | [number, number] };

function depthwiseInfo(tf: Tf, name: string, inputShape: Shape4, filterShape: Shape4, attrs: DepthwiseGradAttrs): Conv2DInfo {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
    'channelsLast',
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) throw new Error(`${name} on WASM supports dilation 1 only.`);
  return info;
}

/**
 * dFilter of a depthwise convolution: for each tap (i, j), the input values that tap read (a
 * strided slice of the padded input) times the output gradient of the same channel, summed over
 * batch and positions: [kh*kw] products of exactly the work the gradient needs.
 */
function depthwiseBackpropFilter(tf: Tf, args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs['x']!;
  const dy = inputs['dy']!;
  const { filterShape } = attrs as unknown as { filterShape: Shape4 };
  const info = depthwiseInfo(
    tf,
    'DepthwiseConv2dNativeBackpropFilter',
    x.shape as Shape4,
    filterShape,
    attrs as unknown as DepthwiseGradAttrs,
  );
  const [batch, height, width, channels] = x.shape as Shape4;
  const [kh, kw, , multiplier] = filterShape;
  const { outHeight, outWidth, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => (temporaries.push(t), t);
  try {
    const usedHeight = (outHeight - 1) * sh + kh;
    const usedWidth = (outWidth - 1) * sw + kw;
    const bottom = Math.max(0, usedHeight - height - top);
    const right = Math.max(0, usedWidth - width - left);
    let input = x;
    if (top > 0 || left > 0 || bottom > 0 || right > 0) {
      input = keep(
        run(tf, backend, 'PadV2', { x }, {
          paddings: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          constantValue: 0,
        } as unknown as NamedAttrMap),
      );
    }
    const positions = batch * outHeight * outWidth;
    const grads = keep(run(tf, backend, 'Reshape', { x: dy }, { shape: [positions, channels, multiplier] }));
    const taps: TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const read = keep(
          run(tf, backend, 'StridedSlice', { x: input }, {
            begin: [0, i, j, 0],
            end: [batch, i + (outHeight - 1) * sh + 1, j + (outWidth - 1) * sw + 1, channels],
            strides: [1, sh, sw, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          } as unknown as NamedAttrMap),
        );
        const column = keep(run(tf, backend, 'Reshape', { x: read }, { shape: [positions, channels, 1] }));
        const product = keep(run(tf, backend, 'Multiply', { a: column, b: grads }, {}));
        taps.push(keep(run(tf, backend, 'Sum', { x: product }, { axis: [0], keepDims: true })));
      }
    }
    const stacked =
      taps.length === 1 ? taps[0]! : keep(run(tf, backend, 'Concat', taps as unknown as Record<string, TensorInfo>, { axis: 0 })); // Concat takes its inputs as an array;
    return run(tf, backend, 'Reshape', { x: stacked }, { shape: [kh, kw, channels, multiplier] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/**
 * dx of a depthwise convolution: the spread output gradient (channels c*M+m) convolved depthwise
 * with the flipped filter, then summed over the multiplier m back to the input's channels.
 */
function depthwiseBackpropInput(tf: Tf, args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs['dy']!;
  const filter = inputs['filter']!;
  const { inputShape } = attrs as unknown as { inputShape: Shape4 };
  const [kh, kw, channels, multiplier] = filter.shape as Shape4;
  const info = depthwiseInfo(
    tf,
    'DepthwiseConv2dNativeBackpropInput',
    inputShape,
    filter.shape as Shape4,
    attrs as unknown as DepthwiseGradAttrs,
  );
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => (temporaries.push(t), t);
  try {
    const spread = spreadForInputGradient(tf, backend, dy, info, inputShape, keep);
    const flipped = keep(run(tf, backend, 'Reverse', { x: filter }, { dims: [0, 1] }));
    const perOutput = keep(run(tf, backend, 'Reshape', { x: flipped }, { shape: [kh, kw, channels * multiplier, 1] }));
    const convolved = keep(
      run(tf, backend, 'DepthwiseConv2dNative', { x: spread, filter: perOutput }, {
        strides: [1, 1],
        pad: 'valid',
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      } as unknown as NamedAttrMap),
    );
    const [batch, height, width] = inputShape;
    const split = keep(run(tf, backend, 'Reshape', { x: convolved }, { shape: [batch, height, width, channels, multiplier] }));
    return run(tf, backend, 'Sum', { x: split }, { axis: [4], keepDims: false });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** The shipped BatchMatMul, fed operands already transposed (a transpose is cheap, see above). */
function batchMatMul(tf: Tf, args: KernelArgs, shipped: KernelFunc): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return single(shipped(args));
  const temporaries: TensorInfo[] = [];
  const swapLast = (t: TensorInfo): TensorInfo => {
    const perm = t.shape.map((_, i) => i);
    perm.splice(-2, 2, perm.length - 1, perm.length - 2);
    const out = run(tf, backend, 'Transpose', { x: t }, { perm });
    temporaries.push(out);
    return out;
  };
  try {
    const a = transposeA ? swapLast(inputs['a']!) : inputs['a']!;
    const b = transposeB ? swapLast(inputs['b']!) : inputs['b']!;
    return single(shipped({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }));
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** The shipped Tile, or a broadcasting multiply by ones when every repeated axis has size 1. */
function tile(tf: Tf, args: KernelArgs, shipped: KernelFunc): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs['x']!;
  const { reps } = attrs as unknown as { reps: number[] };
  const broadcast = x.dtype === 'float32' && reps.length === x.shape.length && reps.every((r, i) => r === 1 || x.shape[i] === 1);
  if (!broadcast) return single(shipped(args));
  const ones = run(tf, backend, 'Fill', {}, { shape: reps, value: 1, dtype: 'float32' });
  try {
    return run(tf, backend, 'Multiply', { a: x, b: ones }, {});
  } finally {
    backend.disposeData(ones.dataId);
  }
}

type KernelFunc = import('@tensorflow/tfjs').KernelFunc;

interface PoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * dx of a 2-D max pool (NHWC), directly on the WASM heap: each output position's gradient goes to
 * the first largest input of its window (row-major, as tfjs's CPU backend and TensorFlow pick it),
 * added up where windows overlap. One pass over dy with the window read from x, where the shipped
 * kernel spent about 30% of a small CNN's step.
 */
function maxPoolGrad(tf: Tf, args: KernelArgs): TensorInfo {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const attrs = args.attrs as unknown as PoolGradAttrs;
  const backend = args.backend as KernelBackend & {
    makeOutput(shape: number[], dtype: string): TensorInfo;
    typedArrayFromHeap(info: TensorInfo): Float32Array;
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as Shape4,
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const out = backend.makeOutput([...input.shape], input.dtype);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: channels,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
    effectiveFilterHeight: fh,
    effectiveFilterWidth: fw,
  } = info;
  const { top, left } = info.padInfo;
  const rowStride = inWidth * channels;
  if (
    fh === 2 &&
    fw === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0 &&
    outHeight * 2 <= inHeight &&
    outWidth * 2 <= inWidth
  ) {
    // The common 2x2 pool of stride 2 without padding: windows never overlap, four reads each.
    let gAt = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          const at = (b * inHeight + oh * 2) * rowStride + ow * 2 * channels;
          for (let c = 0; c < channels; c++, gAt++) {
            const i0 = at + c;
            const i1 = i0 + channels;
            const i2 = i0 + rowStride;
            const i3 = i2 + channels;
            let pick = i0;
            let top = x[i0]!;
            if (x[i1]! > top) {
              pick = i1;
              top = x[i1]!;
            }
            if (x[i2]! > top) {
              pick = i2;
              top = x[i2]!;
            }
            if (x[i3]! > top) pick = i3;
            dx[pick] = g[gAt]!;
          }
        }
      }
    }
    return out;
  }
  const first = new Int32Array(channels);
  const best = new Float32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    const xBase = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = Math.max(0, oh * strideHeight - top);
      const h1 = Math.min(inHeight, oh * strideHeight - top + fh);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = Math.max(0, ow * strideWidth - left);
        const w1 = Math.min(inWidth, ow * strideWidth - left + fw);
        // Channels innermost: the reads of x and the writes of dx stay contiguous.
        first.fill(-1);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const at = xBase + h * rowStride + w * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[at + c]!;
              if (first[c]! < 0 || value > best[c]!) {
                best[c] = value;
                first[c] = at + c;
              }
            }
          }
        }
        const gAt = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) if (first[c]! >= 0) dx[first[c]!] += g[gAt + c]!;
      }
    }
  }
  return out;
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  if (Array.isArray(out)) throw new Error('Expected one output.');
  return out;
}

const IMPLEMENTATIONS: Record<
  (typeof WASM_EXTRA_KERNELS)[number],
  (tf: Tf, args: KernelArgs, shipped: KernelFunc | undefined) => TensorInfo
> = {
  Conv2DBackpropFilter: conv2DBackpropFilter,
  Conv2DBackpropInput: conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  Tile: (tf, args, shipped) => {
    if (!shipped) throw new Error('The WASM backend has no Tile kernel.');
    return tile(tf, args, shipped);
  },
  MaxPoolGrad: (tf, args) => maxPoolGrad(tf, args),
  BatchMatMul: (tf, args, shipped) => {
    if (!shipped) throw new Error('The WASM backend has no BatchMatMul kernel.');
    return batchMatMul(tf, args, shipped);
  },
};

// The kernel functions registered per tf namespace, so a second call changes nothing.
const registered = new WeakMap<Tf, Set<string>>();

/** Registers the training kernels above on the WASM backend; safe to call more than once. */
export function registerWasmTrainingKernels(tf: Tf): void {
  const done = registered.get(tf) ?? new Set<string>();
  registered.set(tf, done);
  for (const name of WASM_EXTRA_KERNELS) {
    if (done.has(name)) continue;
    // Replacing a shipped kernel: unregister first, or tfjs warns on every start. Its setupFunc
    // (which binds the WASM export the shipped kernelFunc calls) is kept for the wrapper.
    const shipped = tf.getKernel(name, 'wasm');
    if (shipped) tf.unregisterKernel(name, 'wasm');
    const implementation = IMPLEMENTATIONS[name];
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      ...(shipped?.setupFunc ? { setupFunc: shipped.setupFunc } : {}),
      kernelFunc: (args) => implementation(tf, args as unknown as KernelArgs, shipped?.kernelFunc),
    });
    done.add(name);
  }
}

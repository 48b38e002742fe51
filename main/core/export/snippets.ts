// Usage snippets written beside each export and shown in the dialog: how to load the model and
// prepare an image exactly as training did (resize mode, colour mode, scaling, NHWC layout).
import type { ExportFormat, UsageSnippet } from '../../../preload/contract';
import type { ExportMetadata } from './metadata';

/** Python (Pillow + NumPy) preparing one image as training did. */
function pythonPreprocess(m: ExportMetadata): string {
  const { width, height, channels, resize } = m.input;
  const fit =
    resize === 'crop'
      ? `image = ImageOps.fit(image, (${width}, ${height}))  # "crop": scale to cover, cut the centre`
      : resize === 'pad'
        ? `image = ImageOps.pad(image, (${width}, ${height}), color=0)  # "pad": scale to fit, black bars`
        : `image = image.resize((${width}, ${height}))  # "squash": stretch to the size`;
  return [
    'import numpy as np',
    'from PIL import Image, ImageOps',
    '',
    `CLASS_NAMES = ${JSON.stringify(m.classNames)}`,
    '',
    'def prepare(path):',
    `    image = ImageOps.exif_transpose(Image.open(path)).convert("${channels === 1 ? 'L' : 'RGB'}")`,
    `    ${fit}`,
    `    pixels = np.asarray(image, dtype=np.float32).reshape(1, ${height}, ${width}, ${channels})`,
    `    return pixels * ${m.normalization.scale} + ${m.normalization.offset}  # bytes 0..255 to 0..1`,
  ].join('\n');
}

/** JavaScript (browser canvas) preparing one image; resize note for crop and pad. */
function jsPreprocess(m: ExportMetadata, tensor: (values: string, shape: string) => string): string {
  const { width, height, channels, resize } = m.input;
  return [
    `const CLASS_NAMES = ${JSON.stringify(m.classNames)};`,
    '',
    `// Resize mode "${resize}": ${resize === 'squash' ? 'stretch to the size' : resize === 'crop' ? 'scale to cover, cut the centre' : 'scale to fit, black bars'}.`,
    'function prepare(image) {',
    `  const canvas = Object.assign(document.createElement('canvas'), { width: ${width}, height: ${height} });`,
    "  const ctx = canvas.getContext('2d');",
    `  ctx.fillStyle = 'black'; ctx.fillRect(0, 0, ${width}, ${height});`,
    resize === 'squash'
      ? `  ctx.drawImage(image, 0, 0, ${width}, ${height});`
      : `  const s = Math.${resize === 'crop' ? 'max' : 'min'}(${width} / image.width, ${height} / image.height);\n  ctx.drawImage(image, (${width} - image.width * s) / 2, (${height} - image.height * s) / 2, image.width * s, image.height * s);`,
    `  const rgba = ctx.getImageData(0, 0, ${width}, ${height}).data;`,
    `  const values = new Float32Array(${width * height * channels});`,
    `  for (let i = 0; i < ${width * height}; i++) {`,
    channels === 1
      ? `    // Grayscale as libvips: 0.2126 R + 0.7152 G + 0.0722 B\n    values[i] = (0.2126 * rgba[4 * i] + 0.7152 * rgba[4 * i + 1] + 0.0722 * rgba[4 * i + 2]) * ${m.normalization.scale} + ${m.normalization.offset};`
      : `    for (let c = 0; c < 3; c++) values[3 * i + c] = rgba[4 * i + c] * ${m.normalization.scale} + ${m.normalization.offset};`,
    '  }',
    `  return ${tensor('values', `[1, ${height}, ${width}, ${channels}]`)}; // NHWC`,
    '}',
  ].join('\n');
}

const python = (code: string): UsageSnippet => ({ language: 'Python', fileName: 'usage.py', code });
const javascript = (code: string): UsageSnippet => ({ language: 'JavaScript', fileName: 'usage.js', code });

const pythonPredict = (load: string, run: string) =>
  `${load}\n\n${'probabilities = '}${run}\nprint(CLASS_NAMES[int(probabilities.argmax())], probabilities.max())`;

/** The snippets of one export format. */
export function usageSnippets(format: ExportFormat, m: ExportMetadata): UsageSnippet[] {
  const pre = pythonPreprocess(m);
  switch (format) {
    case 'tfjs':
      return [
        javascript(`import * as tf from '@tensorflow/tfjs';\n\n${jsPreprocess(m, (v, s) => `tf.tensor4d(${v}, ${s})`)}\n\nconst model = await tf.loadLayersModel('model.json');\nconst probabilities = model.predict(prepare(document.querySelector('img'))).dataSync();`),
        python(`# pip install tensorflowjs\nimport tensorflowjs as tfjs\n${pre}\n\n${pythonPredict('model = tfjs.converters.load_keras_model("model.json")', 'model.predict(prepare("photo.jpg"))[0]')}`),
      ];
    case 'keras':
    case 'h5':
      return [
        python(`# pip install keras tensorflow (or jax / torch as Keras 3's backend)\nimport keras\n${pre}\n\n${pythonPredict(`model = keras.saving.load_model("${format === 'keras' ? 'model.keras' : 'model.h5'}")`, 'model.predict(prepare("photo.jpg"))[0]')}`),
        javascript(`// Keras files do not load in JavaScript directly: export "TensorFlow.js" or "ONNX" from Capa instead,\n// or convert: tensorflowjs_converter --input_format=keras ${format === 'keras' ? 'model.keras' : 'model.h5'} web_model/`),
      ];
    case 'onnx':
      return [
        python(`# pip install onnxruntime pillow numpy\nimport onnxruntime as ort\n${pre}\n\n${pythonPredict('session = ort.InferenceSession("model.onnx")', 'session.run(["probabilities"], {"input": prepare("photo.jpg")})[0][0]')}`),
        javascript(`import * as ort from 'onnxruntime-web'; // onnxruntime-node in Node.js\n\n${jsPreprocess(m, (v, s) => `new ort.Tensor('float32', ${v}, ${s})`)}\n\nconst session = await ort.InferenceSession.create('model.onnx');\nconst { probabilities } = await session.run({ input: prepare(document.querySelector('img')) });`),
      ];
    case 'bundle':
      return [python('# Train on every GPU of this machine (or a cluster: set TF_CONFIG on each worker):\n#   pip install tensorflow\n#   python train.py --epochs 20\n# The trained model is written to trained/model.keras; load it as the Keras export shows.')];
  }
}

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

/** Kotlin (Android) preparing one bitmap as a direct float buffer, the same way. */
function kotlinPreprocess(m: ExportMetadata): string {
  const { width, height, channels, resize } = m.input;
  const { scale, offset } = m.normalization;
  const value =
    channels === 1
      ? `(0.2126f * r + 0.7152f * g + 0.0722f * b) * ${scale}f + ${offset}f // grayscale as libvips`
      : `x * ${scale}f + ${offset}f`;
  return [
    `val CLASS_NAMES = listOf(${m.classNames.map((n) => JSON.stringify(n)).join(', ')})`,
    '',
    'fun prepare(bitmap: Bitmap): ByteBuffer {',
    `    val image = Bitmap.createBitmap(${width}, ${height}, Bitmap.Config.ARGB_8888)`,
    '    val canvas = Canvas(image).apply { drawColor(Color.BLACK) }',
    resize === 'squash'
      ? `    val target = RectF(0f, 0f, ${width}f, ${height}f) // "squash": stretch to the size`
      : [
          `    // "${resize}": ${resize === 'crop' ? 'scale to cover, cut the centre' : 'scale to fit, black bars'}`,
          `    val s = ${resize === 'crop' ? 'max' : 'min'}(${width}f / bitmap.width, ${height}f / bitmap.height)`,
          '    val w = bitmap.width * s; val h = bitmap.height * s',
          `    val target = RectF((${width} - w) / 2, (${height} - h) / 2, (${width} + w) / 2, (${height} + h) / 2)`,
        ].join('\n'),
    '    canvas.drawBitmap(bitmap, null, target, Paint(Paint.FILTER_BITMAP_FLAG))',
    `    val pixels = IntArray(${width * height}).also { image.getPixels(it, 0, ${width}, 0, 0, ${width}, ${height}) }`,
    `    val buffer = ByteBuffer.allocateDirect(4 * ${width * height * channels}).order(ByteOrder.nativeOrder())`,
    '    for (p in pixels) {',
    '        val r = (p shr 16) and 0xFF; val g = (p shr 8) and 0xFF; val b = p and 0xFF',
    channels === 1 ? `        buffer.putFloat(${value})` : `        for (x in intArrayOf(r, g, b)) buffer.putFloat(${value})`,
    '    }',
    `    return buffer.rewind() as ByteBuffer // NHWC [1, ${height}, ${width}, ${channels}]`,
    '}',
  ].join('\n');
}

const python = (code: string): UsageSnippet => ({ language: 'Python', fileName: 'usage.py', code });
const javascript = (code: string): UsageSnippet => ({ language: 'JavaScript', fileName: 'usage.js', code });
const kotlin = (code: string): UsageSnippet => ({ language: 'Kotlin', fileName: 'usage.kt', code });

const pythonPredict = (load: string, run: string) =>
  `${load}\n\n${'probabilities = '}${run}\nprint(CLASS_NAMES[int(probabilities.argmax())], probabilities.max())`;

/** The snippets of one export format. */
export function usageSnippets(format: ExportFormat, m: ExportMetadata): UsageSnippet[] {
  const pre = pythonPreprocess(m);
  switch (format) {
    case 'tfjs':
      return [
        javascript(
          `import * as tf from '@tensorflow/tfjs';\n\n${jsPreprocess(m, (v, s) => `tf.tensor4d(${v}, ${s})`)}\n\nconst model = await tf.loadLayersModel('model.json');\nconst probabilities = model.predict(prepare(document.querySelector('img'))).dataSync();`,
        ),
        python(
          `# pip install tensorflowjs\nimport tensorflowjs as tfjs\n${pre}\n\n${pythonPredict('model = tfjs.converters.load_keras_model("model.json")', 'model.predict(prepare("photo.jpg"))[0]')}`,
        ),
      ];
    case 'keras':
    case 'h5':
      return [
        python(
          `# pip install keras tensorflow (or jax / torch as Keras 3's backend)\nimport keras\n${pre}\n\n${pythonPredict(`model = keras.saving.load_model("${format === 'keras' ? 'model.keras' : 'model.h5'}")`, 'model.predict(prepare("photo.jpg"))[0]')}`,
        ),
        javascript(
          `// Keras files do not load in JavaScript directly: export "TensorFlow.js" or "ONNX" from Capa instead,\n// or convert: tensorflowjs_converter --input_format=keras ${format === 'keras' ? 'model.keras' : 'model.h5'} web_model/`,
        ),
      ];
    case 'onnx':
      return [
        python(
          `# pip install onnxruntime pillow numpy\nimport onnxruntime as ort\n${pre}\n\n${pythonPredict('session = ort.InferenceSession("model.onnx")', 'session.run(["probabilities"], {"input": prepare("photo.jpg")})[0][0]')}`,
        ),
        javascript(
          `import * as ort from 'onnxruntime-web'; // onnxruntime-node in Node.js\n\n${jsPreprocess(m, (v, s) => `new ort.Tensor('float32', ${v}, ${s})`)}\n\nconst session = await ort.InferenceSession.create('model.onnx');\nconst { probabilities } = await session.run({ input: prepare(document.querySelector('img')) });`,
        ),
      ];
    case 'tflite':
    case 'tflite-int8':
      return [
        python(
          `# pip install ai-edge-litert pillow numpy   (or tflite-runtime, or tensorflow's tf.lite.Interpreter)\nfrom ai_edge_litert.interpreter import Interpreter\n${pre}\n\n${pythonPredict(
            'interpreter = Interpreter(model_path="model.tflite")\ninterpreter.allocate_tensors()\nrunner = interpreter.get_signature_runner()',
            'runner(input=prepare("photo.jpg"))["probabilities"][0]',
          )}`,
        ),
        javascript(
          `import { loadLiteRt, loadAndCompile, Tensor } from '@litertjs/core';\n\n${jsPreprocess(m, (v, s) => `new Tensor(${v}, ${s})`)}\n\nawait loadLiteRt('/litert-wasm/'); // serve node_modules/@litertjs/core/wasm/ there\nconst model = await loadAndCompile('model.tflite', { accelerator: 'wasm' });\nconst input = prepare(document.querySelector('img'));\nconst [output] = await model.run(input);\nconst probabilities = output.toTypedArray();\ninput.delete();\noutput.delete();`,
        ),
        kotlin(
          `// build.gradle.kts: implementation("com.google.ai.edge.litert:litert:1.0.1") or newer; put model.tflite in src/main/assets\nimport android.content.Context\nimport android.graphics.*\nimport java.nio.ByteBuffer\nimport java.nio.ByteOrder\nimport kotlin.math.max\nimport kotlin.math.min\nimport org.tensorflow.lite.Interpreter\n\n${kotlinPreprocess(m)}\n\nfun classify(context: Context, bitmap: Bitmap): Pair<String, Float> {\n    val bytes = context.assets.open("model.tflite").use { it.readBytes() }\n    val interpreter = Interpreter(ByteBuffer.allocateDirect(bytes.size).order(ByteOrder.nativeOrder()).put(bytes).rewind() as ByteBuffer)\n    val probabilities = Array(1) { FloatArray(CLASS_NAMES.size) }\n    interpreter.run(prepare(bitmap), probabilities)\n    interpreter.close()\n    val best = probabilities[0].indices.maxBy { probabilities[0][it] }\n    return CLASS_NAMES[best] to probabilities[0][best]\n}`,
        ),
      ];
    case 'bundle':
      return [
        python(
          '# Train on every GPU of this machine (or a cluster: set TF_CONFIG on each worker):\n#   pip install tensorflow\n#   python train.py --epochs 20\n# The trained model is written to trained/model.keras; load it as the Keras export shows.',
        ),
      ];
  }
}

// The model's sentences carry their catalogue key and values, so the screen says them in the
// person's language: each kind of wrong setting (a number out of range, an unknown word, zod's own
// checks, shapes that do not fit, a model too large), the presets' and pretrained networks' texts,
// and the export formats with the reason a format is greyed out. Each is said in Spanish here too.
import { describe, expect, it } from 'vitest';
import type { Said } from '../../preload/contract';
import { BACKBONES } from '../../common/backbones/catalogue';
import { summarizeWithBackbone } from '../../common/backbones/summary';
import { formatChoices } from '../../main/core/export/export';
import type { SavedLayer, SavedModel } from '../../main/core/export/saved-model';
import { nested, said } from '../../common/messages/said';
import { DEFAULT_INPUT, layer, presetById, PRESETS } from '../../common/model/presets';
import { parseSpec, type ModelSpec, type SpecIssue } from '../../common/model/spec';
import { MAX_PARAMS, summarize } from '../../common/model/summary';
import { sayIn } from '../helpers/say';

/** As the renderer's say() says it in Spanish (test/helpers/say.ts). */
const inSpanish = (sentence: Said): string => sayIn('es', sentence);

const base = (): ModelSpec => presetById('small-cnn')!.build(DEFAULT_INPUT);
/** The issue a spec gets at `path`. */
function issueAt(value: unknown, path: string): SpecIssue {
  const parsed = parseSpec(value);
  if (parsed.ok) throw new Error(`${path}: the spec was accepted`);
  const issue = parsed.issues.find((i) => i.path.join('.') === path);
  if (!issue) throw new Error(`no issue at ${path}: ${JSON.stringify(parsed.issues)}`);
  return issue;
}

describe('a wrong setting names its field with a keyed sentence', () => {
  it('a number out of range', () => {
    const issue = issueAt({ ...base(), layers: [{ type: 'Dropout', rate: 1 }] }, 'layers.0.rate');
    expect(issue).toEqual({
      path: ['layers', '0', 'rate'],
      key: 'model.fields.numberBelow',
      params: { what: 'rate', min: 0, max: 1, received: '1' },
      message: 'Expected a number from 0 to below 1 for "rate". Received: 1',
    });
    expect(inSpanish(issue)).toBe('Se esperaba un número de 0 a menos de 1 para "rate". Recibido: 1');
  });

  it('a training number out of range', () => {
    const issue = issueAt({ ...base(), training: { ...base().training, batch_size: 0 } }, 'training.batch_size');
    expect(issue).toMatchObject({ key: 'model.fields.positiveInt', params: { what: 'batch_size', received: '0' } });
    expect(inSpanish(issue)).toBe('Se esperaba un número entero positivo para "batch_size". Recibido: 0');
    const rate = issueAt({ ...base(), training: { ...base().training, learning_rate: 20 } }, 'training.learning_rate');
    expect(rate).toMatchObject({ key: 'model.spec.learningRateTooHigh', params: { max: 10 }, message: 'Learning rate above 10 diverges.' });
    expect(inSpanish(rate)).toBe('Con una tasa de aprendizaje mayor que 10 el entrenamiento diverge.');
  });

  it('an unknown activation, with the ones that work', () => {
    const issue = issueAt({ ...base(), layers: [{ type: 'Dense', units: 2, activation: 'relu6' }] }, 'layers.0.activation');
    expect(issue).toMatchObject({
      key: 'model.fields.unknown.activation',
      params: { received: '"relu6"', choices: 'linear, relu, sigmoid, tanh, softmax, elu, selu, gelu, swish' },
    });
    expect(issue.message).toBe('Unknown activation "relu6". Use one of: linear, relu, sigmoid, tanh, softmax, elu, selu, gelu, swish.');
    expect(inSpanish(issue)).toBe(
      'Función de activación desconocida: "relu6". Usa una de estas: linear, relu, sigmoid, tanh, softmax, elu, selu, gelu, swish.',
    );
    const leaky = issueAt({ ...base(), layers: [{ type: 'Dense', units: 2, activation: 'leaky_relu' }] }, 'layers.0.activation');
    expect(leaky.key).toBe('model.layers.leakyReluHere');
    expect(inSpanish(leaky)).toContain('añade una capa Activation("leaky_relu") después de esta');
  });

  it('an input too large', () => {
    const issue = issueAt({ ...base(), input: { ...DEFAULT_INPUT, width: 2000 } }, 'input.width');
    expect(issue).toMatchObject({
      key: 'model.spec.widthTooLarge',
      params: { max: 1024 },
      message: 'Input width above 1024 pixels is not supported.',
    });
    expect(inSpanish(issue)).toBe('No se admite un ancho de entrada de más de 1024 píxeles.');
  });

  it("zod's own checks (missing field, wrong type, bounds without a message of their own) get a sentence too", () => {
    const { layers: _, ...noLayers } = base();
    const missing = issueAt(noLayers, 'layers');
    expect(missing).toMatchObject({
      key: 'model.spec.required',
      params: { field: 'layers' },
      message: '"layers" is missing; give it a value.',
    });
    expect(inSpanish(missing)).toBe('Falta "layers"; dale un valor.');

    const wrongType = issueAt({ ...base(), training: { ...base().training, nesterov: 'yes' } }, 'training.nesterov');
    expect(wrongType).toMatchObject({ key: 'model.spec.wrongType', params: { field: 'nesterov', expected: 'boolean', received: '"yes"' } });
    expect(inSpanish(wrongType)).toBe('Se esperaba un valor de tipo boolean para "nesterov". Recibido: "yes"');

    const low = issueAt({ ...base(), training: { ...base().training, seed: -1 } }, 'training.seed');
    expect(low).toMatchObject({ key: 'model.spec.tooSmall', params: { field: 'seed', limit: 0, received: '-1' } });
    const high = issueAt({ ...base(), training: { ...base().training, seed: 2 ** 31 } }, 'training.seed');
    expect(high).toMatchObject({ key: 'model.spec.tooBig', params: { field: 'seed', limit: 2 ** 31 - 1, received: '2147483648' } });
    expect(inSpanish(high)).toBe('Se esperaba como máximo 2147483647 para "seed". Recibido: 2147483648');
  });

  it('leaves no issue without a key, whatever is wrong', () => {
    const wrongs: unknown[] = [
      {},
      {
        ...base(),
        version: 'two',
        input: 'big',
        layers: [{ type: 'Conv2D' }, { type: 'Nope' }, 3],
        training: { optimizer: 7, epochs: 'ten', class_weight: null },
      },
      { ...base(), augmentation: { flip: 'sideways', rotation: '0.1' }, backbone: { id: '', trainable_blocks: -1 } },
    ];
    const issues = wrongs.flatMap((value) => {
      const parsed = parseSpec(value);
      return parsed.ok ? [] : parsed.issues;
    });
    expect(issues.length).toBeGreaterThan(10);
    expect(issues.filter((issue) => !issue.key || !sayIn('es', issue))).toEqual([]);
    expect(issues.filter((issue) => issue.message.startsWith('{'))).toEqual([]);
    // A whole object received is cut short, not poured into the sentence.
    const input = issues.find((issue) => issue.path.join('.') === 'layers.2')!;
    expect(input.params).toMatchObject({ received: '3' });
    const longOne = parseSpec({ ...base(), input: { width: 8, height: 8, channels: 3, resize: { a: 'x'.repeat(200) } } });
    expect(longOne.ok || longOne.issues[0]!.params!['received']).toBe(`{"a":"${'x'.repeat(53)}…`);
  });
});

describe('a network that cannot be built says why with a keyed sentence', () => {
  const spec = (layers: ModelSpec['layers'], input = DEFAULT_INPUT): ModelSpec => ({ ...presetById('small-cnn')!.build(input), layers });

  it('Dense after Conv2D without Flatten', () => {
    const [issue] = summarize(spec([layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }), layer({ type: 'Dense', units: 8 })]), 2).issues;
    expect(issue).toEqual({
      path: ['layers', '1', 'type'],
      key: 'model.summary.denseNeedsFlat',
      params: { shape: '62, 62, 4' },
      message:
        'Dense needs a flat vector but receives an image of shape (62, 62, 4); add a Flatten or GlobalAveragePooling2D layer before it.',
    });
    expect(inSpanish(issue!)).toBe(
      'Dense necesita un vector plano, pero recibe una imagen de forma (62, 62, 4); añade una capa Flatten o GlobalAveragePooling2D antes de ella.',
    );
  });

  it("an image layer after Flatten, with the count in the language's number format", () => {
    const [issue] = summarize(spec([layer({ type: 'Flatten' }), layer({ type: 'Conv2D', filters: 2, kernel_size: 3 })]), 2).issues;
    expect(issue).toMatchObject({ key: 'model.summary.imageLayerAfterFlat', params: { type: 'Conv2D', count: 12288 } });
    expect(issue!.message).toContain('a flat vector of 12,288 values');
    expect(inSpanish(issue!)).toBe(
      'Conv2D necesita una imagen (alto, ancho, canales), pero recibe un vector plano de 12.288 valores; muévela antes de Flatten o del pooling global.',
    );
  });

  it('too many parameters', () => {
    const big = spec([layer({ type: 'Flatten' }), layer({ type: 'Dense', units: 64 })], {
      width: 1024,
      height: 1024,
      channels: 3,
      resize: 'squash',
    });
    const issue = summarize(big, 2).issues.find((i) => i.key === 'model.summary.tooManyParams')!;
    expect(issue).toMatchObject({ path: ['layers'], params: { count: summarize(big, 2).totalParams, max: MAX_PARAMS } });
    expect(issue.message).toMatch(/^The model has 201,326,\d{3} parameters, more than the 50,000,000 Capa can train/);
    expect(inSpanish(issue)).toMatch(
      /^El modelo tiene 201\.326\.\d{3} parámetros, más de los 50\.000\.000 que Capa puede entrenar; añade pooling antes de Flatten/,
    );
  });

  it('a pretrained network that cannot be fine-tuned, counted in each language', () => {
    const entry = BACKBONES[0]!;
    const transfer = { ...presetById('transfer')!.build(DEFAULT_INPUT), backbone: { id: entry.id, trainable_blocks: 1 } };
    const shapes = {
      shape: () => ({
        title: entry.title,
        name: 'mobilenet',
        inputSize: [224, 224] as [number, number],
        features: 1280,
        params: entry.params,
      }),
      canFineTune: () => false,
    };
    const [one] = summarizeWithBackbone(transfer, 2, shapes).issues;
    expect(one).toMatchObject({
      path: ['backbone', 'trainable_blocks'],
      key: 'model.backbones.graphCannotFineTune',
      params: { title: entry.title, count: 1 },
    });
    expect(inSpanish(one!)).toContain('así que su último bloque no se puede ajustar');
    const [three] = summarizeWithBackbone({ ...transfer, backbone: { id: entry.id, trainable_blocks: 3 } }, 2, shapes).issues;
    expect(three!.message).toContain('its last 3 blocks cannot be fine-tuned');
    expect(inSpanish(three!)).toContain('así que sus últimos 3 bloques no se pueden ajustar');
  });
});

describe('presets, pretrained networks and export formats describe themselves with keys', () => {
  it('every preset and pretrained network has a title or description said in Spanish', () => {
    for (const preset of PRESETS) {
      expect(preset.title.key).toBe(`model.presets.${preset.id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}.title`);
      expect(inSpanish(preset.description)).not.toBe(preset.description.message);
    }
    expect(inSpanish(presetById('small-cnn')!.title)).toBe('CNN pequeña');
    for (const entry of BACKBONES) expect(inSpanish(entry.description)).not.toBe(entry.description.message);
    const narrow = BACKBONES.find((entry) => entry.id === 'mobilenet-v2-0.5-224')!;
    expect(narrow.description).toMatchObject({
      key: 'model.catalogue.narrower',
      params: { percent: 50 },
      message: 'Narrower (50% of the filters): smaller and faster, a little less accurate.',
    });
    expect(inSpanish(narrow.description)).toBe('Más estrecha (50 % de los filtros): más pequeña y rápida, un poco menos precisa.');
  });

  const dense = (name: string): SavedLayer => ({ className: 'Dense', name, config: { activation: 'softmax' }, weights: [] });
  const model = (layers: SavedLayer[]): SavedModel => ({ inputShape: [8, 8, 3], layers, topology: {} });

  it('a greyed-out format names the layer and says why, in Spanish too', () => {
    const formats = formatChoices(model([{ className: 'UpSampling2D', name: 'up', config: {}, weights: [] }, dense('out')]), base());
    const onnx = formats.find((f) => f.format === 'onnx')!;
    expect(onnx).toMatchObject({
      available: false,
      title: { key: 'model.export.formats.onnx.title' },
      purpose: { key: 'model.export.formats.onnx.purpose' },
    });
    expect(onnx.reason).toEqual({
      key: 'model.export.layerCannot',
      params: { layer: 'up', layerClass: 'UpSampling2D', why: nested(said('model.onnx.noLayer', { className: 'UpSampling2D' })) },
      message: 'layer "up" (UpSampling2D) cannot be written: UpSampling2D has no ONNX mapping in Capa yet.',
    });
    expect(inSpanish(onnx.reason!)).toBe(
      'la capa "up" (UpSampling2D) no se puede escribir: UpSampling2D todavía no tiene equivalente en ONNX en Capa.',
    );
    expect(inSpanish(formats.find((f) => f.format === 'tflite-int8')!.title)).toBe('TensorFlow Lite, pesos int8');
    expect(formats.find((f) => f.format === 'tfjs')).toMatchObject({ available: true, reason: null });

    // The refusal to export says the format's name and the same reason inside itself.
    const refusal = said('model.export.cannotHold', { format: nested(onnx.title), reason: nested(onnx.reason!) });
    expect(refusal.message).toBe(`ONNX cannot hold this model: ${onnx.reason!.message}`);
    expect(inSpanish(refusal)).toBe(`ONNX no puede guardar este modelo: ${inSpanish(onnx.reason!)}`);
  });

  it('a layer inside a pretrained network: both layers named, the reason said inside', () => {
    const nested: SavedLayer = {
      className: 'Functional',
      name: 'mobilenet',
      config: {
        layers: [
          { class_name: 'InputLayer', config: { name: 'in' } },
          { class_name: 'Conv2D', config: { name: 'conv', activation: 'hard_silu' } },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['conv', 0, 0]],
      },
      weights: [],
    };
    const tflite = formatChoices(model([nested, dense('out')]), { ...base(), backbone: { id: 'x', trainable_blocks: 2 } }).find(
      (f) => f.format === 'tflite',
    )!;
    expect(tflite.reason!.message).toBe(
      'layer "mobilenet" (Functional) cannot be written: its layer "conv" (Conv2D): the activation "hard_silu" has no TensorFlow Lite mapping in Capa yet.',
    );
    expect(inSpanish(tflite.reason!)).toBe(
      'la capa "mobilenet" (Functional) no se puede escribir: su capa "conv" (Conv2D): la función de activación "hard_silu" todavía no tiene equivalente en TensorFlow Lite en Capa.',
    );
  });

  it('a run with a pretrained network kept apart: the reason names it', () => {
    const formats = formatChoices(model([dense('out')]), {
      ...presetById('transfer')!.build(DEFAULT_INPUT),
      backbone: { id: 'my-net', trainable_blocks: 0 },
    });
    expect(formats.find((f) => f.format === 'keras')!.reason).toMatchObject({
      key: 'model.export.backboneApart',
      params: { id: 'my-net' },
    });
    const bundle = formats.find((f) => f.format === 'bundle')!;
    expect(bundle.reason).toMatchObject({ key: 'model.export.bundleBackbone', params: { id: 'my-net' } });
    expect(inSpanish(bundle.reason!)).toBe(
      'su train.py solo reconstruye las MobileNet de keras.applications, y "my-net" no es una de ellas.',
    );
  });
});

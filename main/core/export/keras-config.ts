// Keras names and configs for a saved model's layers, shared by the .keras (Keras 3) and the
// legacy .h5 writers. TensorFlow.js already writes Keras 2 style configs (snake_case keys); what
// changes is the layer names, the initializers' spelling, and where the input shape lives.
import type { SavedLayer, SavedModel } from './saved-model';

/** Layer classes the Keras writers can name; anything else greys the Keras formats out. */
export const KERAS_LAYERS = new Set([
  'Conv2D',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'Dense',
  'Dropout',
  'SpatialDropout2D',
  'BatchNormalization',
  'LayerNormalization',
  'Activation',
  'LeakyReLU',
  'ReLU',
  'Rescaling',
  'ZeroPadding2D',
]);

/** Keras's `naming.to_snake_case`: "MaxPooling2D" becomes "max_pooling2d". */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Keras's names for the layers, in order: the snake_case class name, then `_1`, `_2`... for
 * repeats. Keras 3 names its automatic layer names and its weight-file paths this way.
 */
export function kerasNames(layers: readonly SavedLayer[]): string[] {
  const used = new Map<string, number>();
  return layers.map((layer) => {
    const base = toSnakeCase(layer.className);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    return count === undefined ? base : `${base}_${count + 1}`;
  });
}

type Json = Record<string, unknown>;

/** An initializer or regularizer: Keras 3 spells built-in objects with their module, Keras 2 (.h5) without. */
function kerasObject(value: unknown, module: string | null): unknown {
  if (!value || typeof value !== 'object' || !('class_name' in value)) return value;
  const object = value as { class_name: string; config?: Json };
  const config = { ...(object.config ?? {}) };
  // TensorFlow.js writes "normal" where Keras means a truncated normal (Keras 3 refuses "normal").
  if (config['distribution'] === 'normal') config['distribution'] = 'truncated_normal';
  return module === null
    ? { class_name: object.class_name, config }
    : { module, class_name: object.class_name, config, registered_name: null };
}

/** One layer's Keras config under its Keras name; `keras3` adds modules to nested objects. */
export function layerConfig(layer: SavedLayer, name: string, keras3: boolean): Json {
  const config: Json = {};
  for (const [key, value] of Object.entries(layer.config)) {
    if (key === 'batch_input_shape' || key === 'input_shape') continue;
    if (key.endsWith('_initializer')) config[key] = kerasObject(value, keras3 ? 'keras.initializers' : null);
    else if (key.endsWith('_regularizer')) config[key] = kerasObject(value, keras3 ? 'keras.regularizers' : null);
    else config[key] = value;
  }
  // TensorFlow.js's LeakyReLU calls the slope "alpha"; Keras 3 calls it "negative_slope".
  if (keras3 && layer.className === 'LeakyReLU' && 'alpha' in config) {
    config['negative_slope'] = config['alpha'];
    delete config['alpha'];
  }
  config['name'] = name;
  config['trainable'] = true;
  config['dtype'] = 'float32';
  return config;
}

/** Keras 3's config.json for a Sequential model (what `model.get_config()` serialises to). */
export function keras3ModelConfig(model: SavedModel): Json {
  const names = kerasNames(model.layers);
  const batchShape = [null, ...model.inputShape];
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype: 'float32',
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: batchShape, dtype: 'float32', sparse: false, name: 'input_layer' },
          registered_name: null,
        },
        ...model.layers.map((layer, i) => ({
          module: 'keras.layers',
          class_name: layer.className,
          config: layerConfig(layer, names[i]!, true),
          registered_name: null,
        })),
      ],
      build_input_shape: batchShape,
    },
    registered_name: null,
    build_config: { input_shape: batchShape },
    compile_config: null,
  };
}

/** Keras 2's model_config (the legacy .h5 root attribute): input shape on the first layer. */
export function keras2ModelConfig(model: SavedModel): Json {
  const names = kerasNames(model.layers);
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: model.layers.map((layer, i) => ({
        class_name: layer.className,
        config: { ...layerConfig(layer, names[i]!, false), ...(i === 0 ? { batch_input_shape: [null, ...model.inputShape] } : {}) },
      })),
    },
    keras_version: KERAS2_VERSION,
    backend: 'tensorflow',
  };
}

/** Versions the files claim: the formats' layout is that of these releases. */
export const KERAS3_VERSION = '3.6.0';
export const KERAS2_VERSION = '2.15.0';

// "Show as Keras code" must be a Python script that compiles, for every preset and for a spec that
// sets every field; and it must say what the spec says.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kerasCode } from '../../common/model/keras-code';
import { DEFAULT_INPUT, PRESETS } from '../../common/model/presets';
import type { ModelSpec } from '../../common/model/spec';
import { pyCompileError, skipWithoutPython } from '../helpers/python';
import { everyFieldSpec } from '../helpers/specs';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

/** Runs `python3 -m py_compile`; returns its error output, or '' when the file compiles. */
function pyCompile(code: string): string {
  const file = join(tempDir(), 'model.py');
  writeFileSync(file, code);
  return pyCompileError(file) ?? '';
}

const CLASSES = ['cat', 'dog "big"', 'bird'];

describe.skipIf(skipWithoutPython())('Keras code', () => {
  it('is refused by py_compile when it is not Python, so the check below can fail', () => {
    expect(pyCompile('model = keras.Sequential([\n')).toMatch(/SyntaxError|Error/);
  });

  it.each(PRESETS.map((p) => [p.id, p.build(DEFAULT_INPUT)] as [string, ModelSpec]))('of preset %s compiles with python3', (_id, spec) => {
    const code = kerasCode(spec, CLASSES);
    expect(pyCompile(code)).toBe('');
    expect(code).toContain('layers.Dense(NUM_CLASSES, activation="softmax")');
  });

  it('of a spec that sets every field compiles and carries every setting', () => {
    const code = kerasCode(everyFieldSpec(), CLASSES);
    expect(pyCompile(code)).toBe('');
    for (const fragment of [
      'INPUT_SHAPE = (32, 40, 1)',
      'layers.Rescaling(2, offset=-1)',
      'layers.ZeroPadding2D(padding=(2, 1))',
      'layers.Conv2D(8, (5, 3), strides=(1, 2), padding="same", activation="elu", kernel_initializer="he_normal", kernel_regularizer=keras.regularizers.L1L2(l1=0.001, l2=0.01))',
      'layers.BatchNormalization(momentum=0.9, epsilon=0.01)',
      'layers.Activation("leaky_relu")',
      'layers.SeparableConv2D(12, (3, 3), strides=(1, 1), padding="valid", depth_multiplier=2, activation="gelu"',
      'layers.MaxPooling2D((2, 3), strides=(2, 1), padding="same")',
      'layers.DepthwiseConv2D((3, 3), strides=(2, 2), padding="same", depth_multiplier=3, activation="selu"',
      'layers.SpatialDropout2D(0.1)',
      'layers.AveragePooling2D((2, 2), strides=(1, 1), padding="valid")',
      'layers.LayerNormalization(epsilon=0.0001)',
      '# (disabled) layers.GlobalMaxPooling2D()',
      'layers.GlobalAveragePooling2D()',
      'layers.Dense(24, activation="swish", kernel_initializer="lecun_uniform"',
      'layers.Dropout(0.4)',
      'layers.RandomFlip("horizontal_and_vertical", seed=1234)',
      'layers.RandomRotation(0.1',
      'layers.RandomZoom(0.2',
      'layers.RandomTranslation(0.15, 0.15',
      'layers.RandomContrast(0.25',
      'layers.RandomBrightness(0.3, value_range=(0, 1)',
      'keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True)',
      'keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, min_delta=0.01, restore_best_weights=False)',
      'keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, min_lr=0.0001)',
      'class_weight = {i:',
      'val_ds = None',
      'epochs=7',
      'batch_size=16',
      'color_mode="grayscale"',
      'pad_to_aspect_ratio=True',
      'keras.utils.set_random_seed(1234)',
      'CLASS_NAMES = ["cat", "dog \\"big\\"", "bird"]',
    ]) {
      expect(code).toContain(fragment);
    }
  });
});

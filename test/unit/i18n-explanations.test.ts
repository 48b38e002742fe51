// Every layer, layer parameter and setting of the Model screen has a one-sentence explanation and
// a "Learn more" topic, and every topic has a title, a text, a picture description and a drawing,
// in English and in Spanish. The lists come from the code (the spec's schemas, the layer kinds,
// explanations.ts and the picture components), so a new layer or setting without words fails here.
// (Presets describe themselves with the core catalogue's sentences: see spec-sentences.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LAYER_FIELDS,
  LAYER_TOPICS,
  LEARN_TOPICS,
  OPTIMIZER_NAMES,
  SETTINGS,
  type LearnTopic,
  type SettingKey,
} from '../../common/model/explanations';
import { LAYER_TYPES } from '../../common/model/layers';
import {
  augmentationSchema,
  backboneSchema,
  earlyStoppingSchema,
  inputSchema,
  OPTIMIZERS,
  reduceLrSchema,
  trainingSchema,
} from '../../common/model/spec';
import en from '../../common/messages/en/screens.json';
import es from '../../common/messages/es/screens.json';
import { layerTopics } from '../../renderer/src/lib/learn-topics';

const CATALOGUES = { en: en.explain, es: es.explain } as const;
type Group = Record<string, unknown>;

/** The text at a dotted path of a language's "explain" group, or undefined. */
function text(language: keyof typeof CATALOGUES, path: string): string | undefined {
  const found = path.split('.').reduce<unknown>((node, part) => (node as Group | undefined)?.[part], CATALOGUES[language]);
  return typeof found === 'string' ? found : undefined;
}

/** The paths missing, empty or left in English in the Spanish catalogue. */
function unwritten(paths: string[]): string[] {
  return paths.filter((path) => {
    const [english, spanish] = [text('en', path), text('es', path)];
    return !english?.trim() || !spanish?.trim() || english === spanish;
  });
}

// Which setting of the screen edits each field of the spec; null for the few the screen leaves at Keras's defaults.
const SPEC_FIELDS: Record<string, SettingKey | null> = {
  'input.width': 'inputSize',
  'input.height': 'inputSize',
  'input.channels': 'colour',
  'input.resize': 'resize',
  'backbone.id': 'backbone',
  'backbone.trainable_blocks': 'trainableBlocks',
  'augmentation.flip': 'flip',
  'augmentation.rotation': 'rotation',
  'augmentation.zoom': 'zoom',
  'augmentation.translation': 'translation',
  'augmentation.brightness': 'brightness',
  'augmentation.contrast': 'contrast',
  'training.optimizer': 'optimizer',
  'training.learning_rate': 'learningRate',
  'training.momentum': 'momentum',
  'training.nesterov': 'nesterov',
  'training.epochs': 'epochs',
  'training.batch_size': 'batchSize',
  'training.validation': 'validation',
  'training.early_stopping': 'earlyStopping',
  'training.reduce_lr_on_plateau': 'reduceLr',
  'training.class_weight': 'classWeight',
  'training.seed': 'seed',
  // The time budget is Auto's (and `capa train --minutes`); the Training settings do not show it yet.
  'training.time_budget_minutes': null,
  'early_stopping.monitor': 'monitor',
  'early_stopping.patience': 'patience',
  'early_stopping.min_delta': null,
  'early_stopping.restore_best_weights': 'restoreBest',
  'reduce_lr_on_plateau.monitor': 'monitor',
  'reduce_lr_on_plateau.factor': 'factor',
  'reduce_lr_on_plateau.patience': 'patience',
  'reduce_lr_on_plateau.min_lr': null,
};

const SCHEMAS = {
  input: inputSchema,
  backbone: backboneSchema,
  augmentation: augmentationSchema,
  training: trainingSchema,
  early_stopping: earlyStoppingSchema,
  reduce_lr_on_plateau: reduceLrSchema,
};

const PICTURES = ['LearnPicture', 'LearnPictureGrids', 'LearnPictureCurves', 'LearnPictureStacks'].map((name) =>
  readFileSync(join(__dirname, '..', '..', 'renderer', 'src', 'components', `${name}.svelte`), 'utf8'),
);

describe('explanations of the Model screen in English and Spanish', () => {
  it('covers every field of the spec with a setting, or says the screen leaves it alone', () => {
    const specFields = Object.entries(SCHEMAS).flatMap(([part, schema]) => Object.keys(schema.shape).map((key) => `${part}.${key}`));
    expect(specFields.filter((field) => !(field in SPEC_FIELDS))).toEqual([]);
    const settings = new Set(Object.keys(SETTINGS));
    expect(Object.values(SPEC_FIELDS).filter((setting) => setting !== null && !settings.has(setting))).toEqual([]);
  });

  it('explains every layer kind, every parameter and every setting in one sentence in both languages', () => {
    const paths = [
      ...LAYER_TYPES.map((type) => `layer.${type}`),
      ...LAYER_TYPES.flatMap((type) => LAYER_FIELDS[type].map((field) => `field.${field.help}`)),
      ...Object.keys(SETTINGS).map((key) => `setting.${key}`),
      ...OPTIMIZERS.map((name) => `optimizer.${name}`),
    ];
    expect(paths.length).toBeGreaterThan(90);
    expect(unwritten(paths)).toEqual([]);
    expect(Object.keys(OPTIMIZER_NAMES).sort()).toEqual([...OPTIMIZERS].sort());
  });

  it('gives every layer kind, parameter and setting a "Learn more" topic', () => {
    const topics = new Set<string>(LEARN_TOPICS);
    const offered: [string, LearnTopic][] = [
      ...LAYER_TYPES.flatMap((type) => LAYER_TOPICS[type].map((topic): [string, LearnTopic] => [type, topic])),
      ...LAYER_TYPES.flatMap((type) => LAYER_FIELDS[type].map((field): [string, LearnTopic] => [`${type}.${field.key}`, field.topic])),
      ...Object.entries(SETTINGS).map(([key, setting]): [string, LearnTopic] => [key, setting.topic]),
    ];
    expect(LAYER_TYPES.filter((type) => LAYER_TOPICS[type].length === 0)).toEqual([]);
    expect(offered.filter(([, topic]) => !topics.has(topic))).toEqual([]);
    // Every topic explains something on the screen.
    expect(LEARN_TOPICS.filter((topic) => !offered.some(([, used]) => used === topic))).toEqual([]);
  });

  it('has a title, a text and a picture description for every topic in both languages, and draws each one', () => {
    expect(unwritten(LEARN_TOPICS.flatMap((topic) => ['title', 'text', 'picture'].map((part) => `topic.${topic}.${part}`)))).toEqual([]);
    const source = PICTURES.join('\n');
    // Each topic has a drawing area and a branch that draws it (the curves are the last branch, named in their own file).
    expect(
      LEARN_TOPICS.filter((topic) => !new RegExp(`^\\s+${topic}: \\[\\d+, \\d+\\]|^\\s+${topic}: \\[W`, 'm').test(PICTURES[0]!)),
    ).toEqual([]);
    expect(LEARN_TOPICS.filter((topic) => !source.includes(`topic === '${topic}'`))).toEqual([]);
  });

  it('writes the picture labels of every topic in both languages, with the same variables', () => {
    const labels = (language: keyof typeof CATALOGUES) =>
      Object.entries(CATALOGUES[language].topic).flatMap(([topic, parts]) => Object.keys(parts).map((part) => `topic.${topic}.${part}`));
    expect(labels('es').sort()).toEqual(labels('en').sort());
    const variables = (value: string | undefined) => [...(value ?? '').matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();
    expect(
      labels('en').filter((path) => JSON.stringify(variables(text('en', path))) !== JSON.stringify(variables(text('es', path)))),
    ).toEqual([]);
  });

  it("uses the course's Spanish terms where the English names them", () => {
    const terms: [RegExp, RegExp][] = [
      [/\bneurons?\b/i, /neurona/i],
      [/\bepochs?\b/i, /época/i],
      [/batch size/i, /tamaño de lote/i],
      [/learning rate/i, /tasa de aprendizaje/i],
      [/backpropagation/i, /retropropagación/i],
      [/\biteration/i, /iteraci/i],
      [/\boptimizer/i, /optimizador/i],
      [/\blayers?\b/i, /capa/i],
      [/activation function/i, /función de activación/i],
      [/\bpictures?\b/i, /imagen|imágenes/i],
    ];
    const paths = [
      ...LAYER_TYPES.map((type) => `layer.${type}`),
      ...new Set(LAYER_TYPES.flatMap((type) => LAYER_FIELDS[type].map((field) => `field.${field.help}`))),
      ...Object.keys(SETTINGS).map((key) => `setting.${key}`),
      ...LEARN_TOPICS.map((topic) => `topic.${topic}.text`),
    ];
    const missing = paths.flatMap((path) =>
      terms
        .filter(([english, spanish]) => english.test(text('en', path) ?? '') && !spanish.test(text('es', path) ?? ''))
        .map(([english]) => `${path}: ${english.source}`),
    );
    expect(missing).toEqual([]);
  });

  it("offers a layer row its own topics plus the focused parameter's", () => {
    expect(layerTopics('Conv2D')).toEqual(['kernel', 'filters', 'activation']);
    expect(layerTopics('Conv2D', 'strides')).toEqual(['kernel', 'filters', 'activation', 'stride']);
    expect(layerTopics('Conv2D', 'kernel_size')).toEqual(['kernel', 'filters', 'activation']);
    expect(layerTopics('Dense', 'kernel_regularizer')).toEqual(['dense', 'activation', 'regularizer']);
    expect(layerTopics('Flatten', 'nothing')).toEqual(['flatten']);
  });
});

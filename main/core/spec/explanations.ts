// Plain-language explanations, in the spirit of the course: what each layer does, what each of
// its parameters means, and which fields the editor shows for it. Pure data; the model screen
// renders it and nothing here needs a manual. Every text is written in English and Spanish side by
// side (the course is Spanish), so the compiler refuses an explanation missing in either language.
import { ACTIVATIONS, ACTIVATION_LAYER_FUNCTIONS, INITIALIZERS, type LayerType } from './layers';

/** The languages explanations are written in (the interface's languages). */
export type ExplanationLanguage = 'en' | 'es';
/** One explanation in every language. */
export type Localized = Record<ExplanationLanguage, string>;

/** How the editor shows one parameter of a layer. */
export type FieldKind =
  | { kind: 'int'; min: number }
  | { kind: 'number'; min: number; max: number; step: number }
  | { kind: 'pair' }
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'regularizer' };

/** One editable parameter of a layer, by Keras's name. */
export type LayerField = FieldKind & {
  /** Keras's argument name, also the spec's key. */
  key: string;
  /** One or two plain sentences. */
  help: Localized;
};

/** What a layer does, in a sentence or two. */
export const LAYER_HELP: Record<LayerType, Localized> = {
  Conv2D: {
    en: 'Slides small filters over the picture; each filter learns to spot a pattern such as an edge, a corner or a texture.',
    es: 'Desliza pequeños filtros sobre la imagen; cada filtro aprende a detectar un patrón, como un borde, una esquina o una textura.',
  },
  SeparableConv2D: {
    en: 'A lighter convolution: first one small filter per channel, then a 1x1 mix of the channels. Fewer weights for a similar result.',
    es: 'Una convolución más ligera: primero un filtro pequeño por canal y luego una mezcla 1x1 de los canales. Menos pesos para un resultado parecido.',
  },
  DepthwiseConv2D: {
    en: 'One small filter per channel, with no mixing between channels. The first half of a separable convolution.',
    es: 'Un filtro pequeño por canal, sin mezclar los canales entre sí. Es la primera mitad de una convolución separable.',
  },
  MaxPooling2D: {
    en: 'Keeps the largest value of each small window: shrinks the picture and keeps the strongest signals.',
    es: 'Conserva el valor más grande de cada ventana pequeña: reduce la imagen y mantiene las señales más fuertes.',
  },
  AveragePooling2D: {
    en: 'Keeps the average of each small window: shrinks the picture smoothly.',
    es: 'Conserva el promedio de cada ventana pequeña: reduce la imagen de forma suave.',
  },
  GlobalAveragePooling2D: {
    en: 'Averages each channel over the whole picture, leaving one number per channel. A light replacement for Flatten.',
    es: 'Promedia cada canal sobre toda la imagen y deja un número por canal. Un reemplazo ligero de Flatten.',
  },
  GlobalMaxPooling2D: {
    en: 'Keeps the largest value of each channel over the whole picture, leaving one number per channel.',
    es: 'Conserva el valor más grande de cada canal sobre toda la imagen y deja un número por canal.',
  },
  Flatten: {
    en: 'Lays the grid of numbers out in one long row so that Dense layers can use it.',
    es: 'Pone la cuadrícula de números en una sola fila larga para que las capas Dense puedan usarla.',
  },
  Dense: {
    en: 'Each neuron computes Z = WX + b (weights times inputs plus a bias), then its activation. Every neuron sees every input.',
    es: 'Cada neurona calcula Z = WX + b (pesos por entradas más un sesgo) y luego su función de activación. Cada neurona ve todas las entradas.',
  },
  Dropout: {
    en: 'During training, randomly sets this fraction of values to zero so the model cannot rely on any single one. Fights memorising.',
    es: 'Durante el entrenamiento, pone a cero al azar esta fracción de los valores para que el modelo no dependa de ninguno en particular. Combate la memorización.',
  },
  SpatialDropout2D: {
    en: 'Dropout for pictures: switches off whole channels (feature maps) at random during training.',
    es: 'Dropout para imágenes: apaga al azar canales enteros (mapas de características) durante el entrenamiento.',
  },
  BatchNormalization: {
    en: 'Rescales the values of each batch to a steady mean and spread, which makes training faster and steadier.',
    es: 'Reescala los valores de cada lote a una media y una dispersión estables, lo que hace el entrenamiento más rápido y estable.',
  },
  LayerNormalization: {
    en: 'Rescales the values of each picture to a steady mean and spread, independently of the batch.',
    es: 'Reescala los valores de cada imagen a una media y una dispersión estables, sin depender del lote.',
  },
  Activation: {
    en: 'Applies a function to every value, e.g. ReLU keeps positives and sets negatives to zero. This is what lets a network learn curves, not just straight lines.',
    es: 'Aplica una función a cada valor; por ejemplo, ReLU conserva los positivos y pone los negativos a cero. Esto es lo que permite a una red aprender curvas y no solo líneas rectas.',
  },
  Rescaling: {
    en: 'Multiplies every value by a number and adds another, e.g. to move pixels from 0..1 to -1..1.',
    es: 'Multiplica cada valor por un número y le suma otro, por ejemplo para pasar los píxeles de 0..1 a -1..1.',
  },
  ZeroPadding2D: {
    en: 'Adds a border of zeros around the picture, so that following layers keep its edges.',
    es: 'Añade un borde de ceros alrededor de la imagen para que las capas siguientes conserven sus bordes.',
  },
};

const activationHelp: Localized = {
  en: 'The function applied to each output. relu is a good default; linear means none.',
  es: 'La función de activación que se aplica a cada salida. relu es una buena opción por defecto; linear significa ninguna.',
};
const filters: LayerField = { key: 'filters', kind: 'int', min: 1, help: { en: 'How many patterns this layer learns to look for. Each filter gives one output channel.', es: 'Cuántos patrones aprende a buscar esta capa. Cada filtro da un canal de salida.' } };
const kernelSize: LayerField = { key: 'kernel_size', kind: 'pair', help: { en: 'Size of each filter in pixels (height x width), e.g. 3 means 3x3.', es: 'Tamaño de cada filtro en píxeles (alto x ancho); por ejemplo, 3 significa 3x3.' } };
const strides: LayerField = { key: 'strides', kind: 'pair', help: { en: 'How many pixels the window moves at each step. 2 halves the size of the picture.', es: 'Cuántos píxeles avanza la ventana en cada paso. 2 reduce la imagen a la mitad.' } };
const padding: LayerField = { key: 'padding', kind: 'choice', options: ['valid', 'same'], help: { en: '"valid" only uses windows that fit, so the picture shrinks; "same" adds zeros around it to keep its size.', es: '"valid" solo usa las ventanas que caben, así que la imagen se reduce; "same" añade ceros alrededor para conservar su tamaño.' } };
const activation: LayerField = { key: 'activation', kind: 'choice', options: ACTIVATIONS, help: activationHelp };
const initializer = (key: string): LayerField => ({ key, kind: 'choice', options: INITIALIZERS, help: { en: 'How the starting weights are drawn at random. he_* suits relu; glorot_* suits the others.', es: 'Cómo se eligen al azar los pesos iniciales. he_* va bien con relu; glorot_* con las demás.' } });
const regularizer = (key: string): LayerField => ({ key, kind: 'regularizer', help: { en: 'A penalty on large weights added to the loss (L1: their sizes, L2: their squares). Keeps the model simpler so it memorises less.', es: 'Una penalización por pesos grandes que se suma a la pérdida (L1: sus tamaños, L2: sus cuadrados). Mantiene el modelo más simple para que memorice menos.' } });
const depthMultiplier: LayerField = { key: 'depth_multiplier', kind: 'int', min: 1, help: { en: 'How many filters each input channel gets.', es: 'Cuántos filtros recibe cada canal de entrada.' } };
const poolSize: LayerField = { key: 'pool_size', kind: 'pair', help: { en: 'Size of the window reduced to one value, e.g. 2 halves the picture.', es: 'Tamaño de la ventana que se reduce a un solo valor; por ejemplo, 2 reduce la imagen a la mitad.' } };
const poolStrides: LayerField = { key: 'strides', kind: 'pair', help: { en: 'Step of the window; empty means the same as the pool size.', es: 'Paso de la ventana; vacío significa igual que el tamaño de la ventana.' } };
const rate: LayerField = { key: 'rate', kind: 'number', min: 0, max: 0.95, step: 0.05, help: { en: 'The fraction switched off at each training step, e.g. 0.25 is one in four.', es: 'La fracción que se apaga en cada paso de entrenamiento; por ejemplo, 0.25 es uno de cada cuatro.' } };
const epsilon: LayerField = { key: 'epsilon', kind: 'number', min: 1e-12, max: 1, step: 0.0001, help: { en: 'A tiny number added before dividing, so nothing is divided by zero.', es: 'Un número diminuto que se suma antes de dividir, para que nada se divida entre cero.' } };

/** The parameters the editor shows for each layer kind, in Keras's order. */
export const LAYER_FIELDS: Record<LayerType, readonly LayerField[]> = {
  Conv2D: [filters, kernelSize, strides, padding, activation, initializer('kernel_initializer'), regularizer('kernel_regularizer')],
  SeparableConv2D: [filters, kernelSize, strides, padding, depthMultiplier, activation, initializer('depthwise_initializer'), initializer('pointwise_initializer'), regularizer('depthwise_regularizer'), regularizer('pointwise_regularizer')],
  DepthwiseConv2D: [kernelSize, strides, padding, depthMultiplier, activation, initializer('depthwise_initializer'), regularizer('depthwise_regularizer')],
  MaxPooling2D: [poolSize, poolStrides, padding],
  AveragePooling2D: [poolSize, poolStrides, padding],
  GlobalAveragePooling2D: [],
  GlobalMaxPooling2D: [],
  Flatten: [],
  Dense: [
    { key: 'units', kind: 'int', min: 1, help: { en: 'How many neurons. More neurons can learn more, and need more pictures.', es: 'Cuántas neuronas. Más neuronas pueden aprender más y necesitan más imágenes.' } },
    activation,
    initializer('kernel_initializer'),
    regularizer('kernel_regularizer'),
  ],
  Dropout: [rate],
  SpatialDropout2D: [rate],
  BatchNormalization: [
    { key: 'momentum', kind: 'number', min: 0, max: 0.999, step: 0.01, help: { en: 'How slowly the remembered mean and spread follow each batch (close to 1: slowly).', es: 'Con qué lentitud la media y la dispersión recordadas siguen a cada lote (cerca de 1: despacio).' } },
    epsilon,
  ],
  LayerNormalization: [epsilon],
  Activation: [{ key: 'activation', kind: 'choice', options: ACTIVATION_LAYER_FUNCTIONS, help: {
        en: `${activationHelp.en} leaky_relu lets a little of the negatives through.`,
        es: `${activationHelp.es} leaky_relu deja pasar un poco de los negativos.`,
      } }],
  Rescaling: [
    { key: 'scale', kind: 'number', min: -1000, max: 1000, step: 0.1, help: { en: 'Every value is multiplied by this.', es: 'Cada valor se multiplica por este número.' } },
    { key: 'offset', kind: 'number', min: -1000, max: 1000, step: 0.1, help: { en: 'Then this is added.', es: 'Después se le suma este.' } },
  ],
  ZeroPadding2D: [{ key: 'padding', kind: 'pair', help: { en: 'Rows of zeros added at the top and bottom, and columns at the left and right.', es: 'Filas de ceros añadidas arriba y abajo, y columnas a la izquierda y a la derecha.' } }],
};

/** Training and input settings explained. */
export const SETTING_HELP = {
  epochs: {
    en: 'One epoch is one pass over every training picture. More epochs learn more, until the model starts memorising.',
    es: 'Una época es una pasada por todas las imágenes de entrenamiento. Más épocas aprenden más, hasta que el modelo empieza a memorizar.',
  },
  batch_size: {
    en: 'Pictures looked at before each weight update. One batch is one iteration; an epoch has (pictures ÷ batch size) of them.',
    es: 'Imágenes que se miran antes de cada actualización de los pesos. Un lote es una iteración; una época tiene (imágenes ÷ tamaño de lote) iteraciones.',
  },
  learning_rate: {
    en: 'How big a step each update takes against the error (backpropagation). Too large jumps around; too small crawls.',
    es: 'Qué tan grande es cada paso de actualización contra el error (retropropagación). Si es muy grande, salta de un lado a otro; si es muy pequeña, avanza muy despacio.',
  },
  optimizer: {
    en: 'The rule that turns the gradients into weight updates.',
    es: 'La regla que convierte los gradientes en actualizaciones de los pesos.',
  },
  momentum: {
    en: 'How much of the previous update carries into the next, like a ball rolling downhill. 0.9 is usual; 0 turns it off.',
    es: 'Cuánto de la actualización anterior se arrastra a la siguiente, como una bola que rueda cuesta abajo. Lo habitual es 0.9; 0 lo desactiva.',
  },
  nesterov: {
    en: 'Looks ahead along the momentum before measuring the slope; often a little faster.',
    es: 'Mira hacia delante siguiendo el momento antes de medir la pendiente; suele ser un poco más rápido.',
  },
  seed: {
    en: 'Fixes the random starting weights, shuffling and augmentation, so that a run can be repeated exactly.',
    es: 'Fija los pesos iniciales al azar, el barajado y el aumento de datos, para que un entrenamiento se pueda repetir exactamente.',
  },
  validation: {
    en: 'Pictures kept aside to measure how well the model does on pictures it never learned from.',
    es: 'Imágenes reservadas para medir qué tan bien funciona el modelo con imágenes de las que nunca aprendió.',
  },
  class_weight: {
    en: '"Balanced" counts mistakes on rare classes more, so a class with few pictures is not ignored.',
    es: '"Equilibrado" cuenta más los errores en las clases poco frecuentes, para que no se ignore una clase con pocas imágenes.',
  },
  early_stopping: {
    en: 'Stops training when the watched number has not improved for a while, and can go back to the best weights.',
    es: 'Detiene el entrenamiento cuando el valor vigilado lleva un tiempo sin mejorar, y puede volver a los mejores pesos.',
  },
  reduce_lr_on_plateau: {
    en: 'Takes smaller steps when progress stalls, which often finds a better result.',
    es: 'Da pasos más pequeños cuando el progreso se estanca, lo que a menudo encuentra un resultado mejor.',
  },
  monitor: {
    en: 'The number watched after each epoch: loss should go down, accuracy up; "val_" ones use the validation pictures.',
    es: 'El valor que se vigila después de cada época: la pérdida debe bajar y la exactitud subir; los "val_" usan las imágenes de validación.',
  },
  patience: {
    en: 'Epochs to wait without improvement before acting.',
    es: 'Épocas que se esperan sin mejora antes de actuar.',
  },
  augmentation: {
    en: 'Random changes to the training pictures at every epoch (never to validation pictures), so the model learns the object rather than its exact position, angle or lighting.',
    es: 'Cambios al azar en las imágenes de entrenamiento en cada época (nunca en las de validación), para que el modelo aprenda el objeto y no su posición, ángulo o iluminación exactos.',
  },
} as const satisfies Record<string, Localized>;

/** Optimizers as a person reads them. */
export const OPTIMIZER_TEXT: Record<(typeof import('./spec'))['OPTIMIZERS'][number], { name: string; help: Localized }> = {
  adam: {
    name: 'Adam',
    help: { en: 'Adam adapts the step for each weight: a safe default.', es: 'Adam adapta el paso para cada peso: una opción segura por defecto.' },
  },
  sgd: {
    name: 'SGD',
    help: { en: 'SGD is plain gradient descent; with momentum it often generalises well, and needs a larger learning rate.', es: 'SGD es el descenso de gradiente simple; con momento suele generalizar bien y necesita una tasa de aprendizaje mayor.' },
  },
  rmsprop: {
    name: 'RMSprop',
    help: { en: 'RMSprop scales each step by the size of recent gradients.', es: 'RMSprop ajusta cada paso según el tamaño de los gradientes recientes.' },
  },
  adagrad: {
    name: 'Adagrad',
    help: { en: 'Adagrad gives rarely-updated weights larger steps; its steps shrink over time.', es: 'Adagrad da pasos más grandes a los pesos que se actualizan poco; sus pasos se achican con el tiempo.' },
  },
  adadelta: {
    name: 'Adadelta',
    help: { en: 'Adadelta adapts its steps from recent updates; try a learning rate of 1.', es: 'Adadelta adapta sus pasos a partir de las actualizaciones recientes; prueba una tasa de aprendizaje de 1.' },
  },
  adamax: {
    name: 'Adamax',
    help: { en: 'Adamax is a variant of Adam that is steadier with large gradients.', es: 'Adamax es una variante de Adam que es más estable con gradientes grandes.' },
  },
};

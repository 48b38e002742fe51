// Auto: a model spec chosen from the data set's profile and the computer's speed, with one
// sentence per choice in the course's words, and the time it will take. Pure, so its rules are
// tested at their boundaries without a project, and the screens, the CLI and main share them.
import type { Said } from '../messages/said';
import { said } from '../messages/said';
import { DEFAULT_TRAINING, layer } from './presets';
import { NO_AUGMENTATION, SPEC_VERSION, type InputSpec, type LayerSpec, type ModelSpec } from './spec';
import { summarize } from './summary';

/** The time a run was estimated to take before it started, stored with it and checked against its duration. */
export interface RunEstimate {
  /** Estimated seconds. */
  seconds: number;
  /** Pictures per epoch (the training split). */
  pictures: number;
  epochs: number;
  picturesPerSecond: number;
  /** The engine the speed was measured on ("wasm", "tensorflow", ...). */
  engine: string;
  /** "runs": measured on this computer's runs; "guess": a default for a 2-core computer. */
  source: 'runs' | 'guess';
}

/** What Auto reads from a data set (main/core/dataset/profile.ts measures it). */
export interface DatasetProfile {
  /** Labelled pictures in all, and in the training split. */
  total: number;
  train: number;
  /** Labelled pictures per class, in the classes' order. */
  perClass: { name: string; count: number }[];
  /** The shorter side of the pictures, in pixels: median, 10th and 90th percentiles. */
  shortSide: { median: number; p10: number; p90: number };
  /** Width over height: median, 10th and 90th percentiles. */
  aspect: { median: number; p10: number; p90: number };
  /** Whether every sampled picture is grey (all channels equal). */
  grey: boolean;
  /** How many pictures were opened to decide `grey`. */
  sampled: number;
}

/** How fast one engine trains here: multiply-adds per second, and where the figure comes from. */
export interface EngineSpeed {
  /** Engine name as runs store it ("wasm", "tensorflow", ...), or "" before any run. */
  engine: string;
  /** Training multiply-adds (forward pass) per second. */
  macsPerSecond: number;
  /** "runs": measured on earlier runs here; "guess": the default for a 2-core computer. */
  source: 'runs' | 'guess';
}

/** What Auto reads from the computer. */
export interface ComputerProfile {
  /** Backbones ready on this computer (downloaded or imported), with the square size each takes. */
  backbones: { id: string; title: string; inputSize: number; macs: number }[];
  /** The best backbone to download when none is ready. */
  suggestedBackbone: { id: string; title: string } | null;
  speed: EngineSpeed;
}

/** The time a spec will take before it trains. */
export interface TimeEstimate extends RunEstimate {
  /** "about 9 minutes on this computer (42,000 pictures x 12 epochs at ~930 pictures/s on wasm)". */
  sentence: Said;
}

/** Auto's plan: a normal spec, why each part was chosen, and its estimate. */
export interface ModelPlan {
  spec: ModelSpec;
  reasons: Said[];
  estimate: TimeEstimate;
  /** Set when photos would do better with a pretrained network that is not on this computer: the one to download. */
  suggestDownload: { id: string; title: string } | null;
}

/** The time budget of a new project's training, in minutes. */
export const DEFAULT_BUDGET_MINUTES = 10;
/** The preset id Auto's specs carry. */
export const AUTO_PRESET_ID = 'auto';
/** A 2-core computer on the WebAssembly engine (measured: ~0.7 G multiply-adds/s of training). */
export const GUESSED_SPEED: EngineSpeed = { engine: '', macsPerSecond: 7e8, source: 'guess' };
/** Pictures whose shorter side is at least this are photo-sized: a pretrained network fits them. */
export const PHOTO_SIZE = 96;
/** A network trained from scratch never takes pictures larger than this (smaller ones are never upscaled). */
export const MAX_SCRATCH_SIZE = 64;
/** Fewer training pictures than this get augmentation (small shifts, zooms and turns). */
export const AUGMENT_BELOW = 5000;
/** Fewer training pictures than this get a narrower network. */
export const SMALL_DATASET = 2000;
/** Per-picture time every network pays (decoding, batching, validation), in seconds. */
const OVERHEAD_SECONDS = 1 / 1000;
/** Seconds every run spends before and after its epochs (starting the trainer, the final evaluation). */
export const STARTUP_SECONDS = 5;
/** Frozen backbones run once per picture and infer faster than training does. */
const INFERENCE_SPEEDUP = 3;

/**
 * The training settings a preset chosen over `spec` keeps: a person's own, but not Auto's (its
 * epochs, callbacks and budget were fitted to its own network), so a preset starts from its defaults.
 */
export const trainingToKeep = (spec: ModelSpec): ModelSpec['training'] | undefined =>
  spec.preset === AUTO_PRESET_ID ? undefined : spec.training;

/** Training pictures per second of a spec at `speed`: forward multiply-adds per picture over the engine's rate. */
export function picturesPerSecond(spec: ModelSpec, speed: EngineSpeed, classCount: number): number {
  const macs = summarize(spec, Math.max(2, classCount)).rows.reduce((sum, row) => sum + row.multiplyAdds, 0);
  return 1 / (macs / speed.macsPerSecond + OVERHEAD_SECONDS);
}

/** Multiply-adds per picture of a spec's own layers (not its backbone). */
export function multiplyAdds(spec: ModelSpec, classCount: number): number {
  return summarize(spec, Math.max(2, classCount)).rows.reduce((sum, row) => sum + row.multiplyAdds, 0);
}

const minutesText = (seconds: number): number => Math.max(1, Math.round(seconds / 60));

/** The time `spec` takes on `pictures` training pictures at `speed` (a frozen backbone costing `backboneMacs` a picture, once). */
export function estimateTime(spec: ModelSpec, pictures: number, classCount: number, speed: EngineSpeed, backboneMacs = 0): TimeEstimate {
  const perSecond = picturesPerSecond(spec, speed, classCount);
  const budget = spec.training.time_budget_minutes;
  const features = backboneMacs > 0 ? (pictures * backboneMacs) / (speed.macsPerSecond * INFERENCE_SPEEDUP) : 0;
  const full = STARTUP_SECONDS + features + (pictures * spec.training.epochs) / perSecond;
  const seconds = budget !== null ? Math.min(full, budget * 60) : full;
  const epochs =
    seconds < full
      ? Math.max(1, Math.floor(((seconds - STARTUP_SECONDS - features) * perSecond) / Math.max(1, pictures)))
      : spec.training.epochs;
  const values = { minutes: minutesText(seconds), pictures, epochs, rate: Math.round(perSecond), engine: speed.engine || 'wasm' };
  const sentence =
    seconds < 90
      ? said('model.auto.estimateSeconds', { ...values, seconds: Math.max(1, Math.round(seconds)) })
      : said('model.auto.estimate', values);
  return { seconds, pictures, epochs, picturesPerSecond: perSecond, engine: values.engine, source: speed.source, sentence };
}

/** The largest side not above the pictures' own (never upscaled), nor above `max`. */
export function scratchSize(profile: DatasetProfile, max = MAX_SCRATCH_SIZE): number {
  return Math.max(8, Math.min(max, Math.round(profile.shortSide.median)));
}

/** A convolutional network from scratch for an input: blocks of Conv2D, BatchNormalization, ReLU and pooling while the picture is at least 8 px. */
export function scratchLayers(input: InputSpec, baseFilters: number, maxBlocks: number): LayerSpec[] {
  const layers: LayerSpec[] = [];
  let size = Math.min(input.width, input.height);
  for (let block = 0; block < maxBlocks && size >= 8; block++) {
    const filters = baseFilters * 2 ** block;
    layers.push(
      layer({ type: 'Conv2D', filters, kernel_size: 3, padding: 'same', activation: 'linear' }),
      layer({ type: 'BatchNormalization' }),
      layer({ type: 'Activation', activation: 'relu' }),
      layer({ type: 'MaxPooling2D', pool_size: 2 }),
    );
    size = Math.floor(size / 2);
  }
  layers.push(
    layer({ type: 'Flatten' }),
    layer({ type: 'Dropout', rate: 0.3 }),
    layer({ type: 'Dense', units: 128, activation: 'relu' }),
    layer({ type: 'Dropout', rate: 0.3 }),
  );
  return layers;
}

/** Auto's choice for a data set on a computer, within `budgetMinutes`. */
export function planModel(profile: DatasetProfile, computer: ComputerProfile, budgetMinutes = DEFAULT_BUDGET_MINUTES): ModelPlan {
  const reasons: Said[] = [];
  const classCount = Math.max(2, profile.perClass.length);
  const pictures = Math.max(1, profile.train);
  const photoSized = profile.shortSide.median >= PHOTO_SIZE;
  const backbone = photoSized ? (computer.backbones[0] ?? null) : null;
  const budgetSeconds = budgetMinutes * 60;
  // Batches: larger ones keep a CPU engine busy on many pictures; small data sets need more updates.
  const batchSize = pictures >= 20_000 ? 64 : 32;
  const training = (epochs: number) => ({
    ...DEFAULT_TRAINING,
    batch_size: batchSize,
    learning_rate: 0.001,
    epochs,
    early_stopping: { monitor: 'val_loss' as const, patience: 3, min_delta: 0, restore_best_weights: true },
    reduce_lr_on_plateau: { monitor: 'val_loss' as const, patience: 2, factor: 0.3, min_lr: 1e-5 },
    time_budget_minutes: budgetMinutes,
  });
  const epochsFor = (spec: ModelSpec, backboneMacs: number) => {
    const perSecond = picturesPerSecond(spec, computer.speed, classCount);
    const features = backboneMacs > 0 ? (pictures * backboneMacs) / (computer.speed.macsPerSecond * INFERENCE_SPEEDUP) : 0;
    return Math.max(1, Math.min(50, Math.floor(((budgetSeconds - STARTUP_SECONDS - features) * perSecond) / pictures)));
  };

  let spec: ModelSpec;
  let backboneMacs = 0;
  if (backbone) {
    backboneMacs = backbone.macs;
    reasons.push(said('model.auto.reason.transfer', { size: Math.round(profile.shortSide.median), backbone: backbone.title }));
    spec = {
      version: SPEC_VERSION,
      preset: AUTO_PRESET_ID,
      input: { width: backbone.inputSize, height: backbone.inputSize, channels: 3, resize: 'crop' },
      backbone: { id: backbone.id, trainable_blocks: 0 },
      augmentation: { ...NO_AUGMENTATION },
      layers: [layer({ type: 'Dropout', rate: 0.2 })],
      training: training(20),
    };
  } else {
    const channels = profile.grey ? 1 : 3;
    const resize = profile.aspect.p10 < 0.8 || profile.aspect.p90 > 1.25 ? 'pad' : 'squash';
    const base = pictures < SMALL_DATASET ? 16 : 32;
    // The largest picture size and depth whose epochs fit the budget at least 5 times.
    const sizes = [MAX_SCRATCH_SIZE, 48, 32, 24].map((max) => scratchSize(profile, max)).filter((s, i, all) => all.indexOf(s) === i);
    let chosen: ModelSpec | null = null;
    for (const size of sizes) {
      for (const blocks of [3, 2]) {
        const input: InputSpec = { width: size, height: size, channels, resize };
        const candidate: ModelSpec = {
          version: SPEC_VERSION,
          preset: AUTO_PRESET_ID,
          input,
          augmentation: { ...NO_AUGMENTATION },
          layers: scratchLayers(input, base, blocks),
          training: training(1),
        };
        chosen ??= candidate;
        if (epochsFor(candidate, 0) >= 5) {
          chosen = candidate;
          break;
        }
        chosen = candidate;
      }
      if (chosen && epochsFor(chosen, 0) >= 5) break;
    }
    spec = chosen!;
    const size = spec.input.width;
    if (photoSized) reasons.push(said('model.auto.reason.offline', { size: Math.round(profile.shortSide.median), input: size }));
    else reasons.push(said('model.auto.reason.scratch', { size: Math.round(profile.shortSide.median), input: size }));
    reasons.push(profile.grey ? said('model.auto.reason.grey') : said('model.auto.reason.colour'));
    if (resize === 'pad') reasons.push(said('model.auto.reason.pad'));
    const blocks = spec.layers.filter((l) => l.type === 'Conv2D').length;
    reasons.push(said('model.auto.reason.depth', { blocks, filters: base, pictures }));
    if (pictures < AUGMENT_BELOW) {
      spec.augmentation = { ...NO_AUGMENTATION, rotation: 0.05, zoom: 0.1, translation: 0.1 };
      reasons.push(said('model.auto.reason.augment', { pictures, threshold: AUGMENT_BELOW }));
    } else reasons.push(said('model.auto.reason.noAugment', { pictures, threshold: AUGMENT_BELOW }));
    reasons.push(said('model.auto.reason.noFlip'));
  }
  spec.training.epochs = epochsFor(spec, backboneMacs);
  reasons.push(said('model.auto.reason.epochs', { epochs: spec.training.epochs, minutes: budgetMinutes }));
  reasons.push(said('model.auto.reason.callbacks'));
  reasons.push(said('model.auto.reason.batch', { batch: batchSize, rate: String(spec.training.learning_rate) }));
  const suggestDownload = photoSized && !backbone ? computer.suggestedBackbone : null;
  const estimate = estimateTime(spec, pictures, classCount, computer.speed, backboneMacs);
  return { spec, reasons, estimate, suggestDownload };
}

/**
 * The engine's speed measured on earlier runs: for each, its multiply-adds per picture times the
 * pictures it trained over its duration; the median of the last runs, or the guess without any.
 */
export function measuredSpeed(
  runs: readonly { engine: string; macsPerPicture: number; pictures: number; epochs: number; seconds: number }[],
): EngineSpeed {
  const usable = runs.filter((r) => r.seconds > 1 && r.epochs > 0 && r.pictures > 0 && r.macsPerPicture > 0);
  if (usable.length === 0) return GUESSED_SPEED;
  const engine = usable[usable.length - 1]!.engine;
  const rates = usable
    .filter((r) => r.engine === engine)
    .slice(-5)
    .map((r) => {
      const perPicture = r.seconds / (r.pictures * r.epochs) - OVERHEAD_SECONDS;
      return r.macsPerPicture / Math.max(perPicture, 1e-6);
    })
    .sort((a, b) => a - b);
  return { engine, macsPerSecond: rates[Math.floor(rates.length / 2)]!, source: 'runs' };
}

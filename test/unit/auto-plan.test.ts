// Auto's planner at the boundaries of each rule, its sentences in both languages, and the
// estimate's arithmetic; pure, so no project or training is needed.
import { describe, expect, it } from 'vitest';
import {
  AUGMENT_BELOW,
  estimateTime,
  GUESSED_SPEED,
  MAX_SCRATCH_SIZE,
  measuredSpeed,
  multiplyAdds,
  PHOTO_SIZE,
  planModel,
  SMALL_DATASET,
  STARTUP_SECONDS,
  type ComputerProfile,
  type DatasetProfile,
} from '../../common/model/auto-plan';
import { parseSpec } from '../../common/model/spec';
import { summarize } from '../../common/model/summary';
import { BACKBONES, shapeOf } from '../../common/backbones/catalogue';
import { sayIn } from '../helpers/say';

function profile(over: Partial<DatasetProfile> & { side?: number } = {}): DatasetProfile {
  const side = over.side ?? 28;
  return {
    total: 1000,
    train: 700,
    perClass: [
      { name: 'a', count: 500 },
      { name: 'b', count: 500 },
    ],
    shortSide: { median: side, p10: side, p90: side },
    aspect: { median: 1, p10: 1, p90: 1 },
    grey: false,
    sampled: 32,
    ...over,
  };
}

const MOBILENET = { id: 'mobilenet-v2-1.0-224', title: 'MobileNet V2 1.0 · 224 px', inputSize: 224, macs: 300e6 };
const offline: ComputerProfile = { backbones: [], suggestedBackbone: { id: MOBILENET.id, title: MOBILENET.title }, speed: GUESSED_SPEED };
const online: ComputerProfile = { ...offline, backbones: [MOBILENET] };
const keys = (plan: ReturnType<typeof planModel>) => plan.reasons.map((r) => r.key);

describe('Auto: transfer learning or from scratch', () => {
  it('takes the ready backbone once the shorter side reaches the photo size, and not below it', () => {
    const photo = planModel(profile({ side: PHOTO_SIZE }), online);
    expect(photo.spec.backbone?.id).toBe(MOBILENET.id);
    expect(photo.spec.input).toMatchObject({ width: 224, height: 224, channels: 3 });
    expect(keys(photo)).toContain('model.auto.reason.transfer');
    expect(photo.suggestDownload).toBeNull();

    const small = planModel(profile({ side: PHOTO_SIZE - 1 }), online);
    expect(small.spec.backbone).toBeUndefined();
    expect(keys(small)).toContain('model.auto.reason.scratch');
  });

  it('offline with photos trains from scratch and suggests the download instead of refusing', () => {
    const plan = planModel(profile({ side: 300 }), offline);
    expect(plan.spec.backbone).toBeUndefined();
    expect(keys(plan)).toContain('model.auto.reason.offline');
    expect(plan.suggestDownload).toEqual({ id: MOBILENET.id, title: MOBILENET.title });
    expect(
      sayIn(
        'en',
        plan.reasons.find((r) => r.key === 'model.auto.reason.offline')!,
      ),
    ).toMatch(/pretrained network would likely do better on photos/);
  });

  it('never upscales: small pictures keep their size, large ones are capped', () => {
    expect(planModel(profile({ side: 20 }), offline).spec.input.width).toBe(20);
    expect(planModel(profile({ side: MAX_SCRATCH_SIZE }), offline).spec.input.width).toBe(MAX_SCRATCH_SIZE);
    expect(planModel(profile({ side: 500 }), offline).spec.input.width).toBeLessThanOrEqual(MAX_SCRATCH_SIZE);
  });

  it('takes one channel for grey pictures and three for colour', () => {
    expect(planModel(profile({ grey: true }), offline).spec.input.channels).toBe(1);
    expect(keys(planModel(profile({ grey: true }), offline))).toContain('model.auto.reason.grey');
    expect(planModel(profile({ grey: false }), offline).spec.input.channels).toBe(3);
  });

  it('pads pictures whose shapes vary and squashes square ones', () => {
    expect(planModel(profile({ aspect: { median: 1, p10: 0.79, p90: 1 } }), offline).spec.input.resize).toBe('pad');
    expect(planModel(profile({ aspect: { median: 1, p10: 0.8, p90: 1.25 } }), offline).spec.input.resize).toBe('squash');
  });
});

describe('Auto: the network and its training', () => {
  it('widens the network from the small-data-set threshold on', () => {
    const filters = (train: number) => planModel(profile({ train }), offline).spec.layers.find((l) => l.type === 'Conv2D')!;
    expect(filters(SMALL_DATASET - 1)).toMatchObject({ filters: 16 });
    expect(filters(SMALL_DATASET)).toMatchObject({ filters: 32 });
  });

  it('uses BatchNormalization and Dropout, and augments only small data sets, never with flips', () => {
    const small = planModel(profile({ train: AUGMENT_BELOW - 1 }), offline);
    const large = planModel(profile({ train: AUGMENT_BELOW }), offline);
    expect(small.spec.layers.map((l) => l.type)).toEqual(expect.arrayContaining(['BatchNormalization', 'Dropout']));
    expect(small.spec.augmentation.translation).toBeGreaterThan(0);
    expect(large.spec.augmentation).toMatchObject({ translation: 0, zoom: 0, rotation: 0 });
    for (const plan of [small, large]) {
      expect(plan.spec.augmentation.flip).toBe('none');
      expect(keys(plan)).toContain('model.auto.reason.noFlip');
    }
  });

  it('fits the epochs to the time budget, with early stopping, LR reduction and the budget in the spec', () => {
    const fast = planModel(profile(), offline, 10);
    const slow = planModel(profile(), { ...offline, speed: { engine: 'cpu', macsPerSecond: 1e6, source: 'runs' } }, 10);
    expect(fast.spec.training.epochs).toBeGreaterThan(slow.spec.training.epochs);
    expect(slow.spec.training.epochs).toBeGreaterThanOrEqual(1);
    expect(fast.spec.training.early_stopping).toMatchObject({ restore_best_weights: true });
    expect(fast.spec.training.reduce_lr_on_plateau).not.toBeNull();
    expect(fast.spec.training.time_budget_minutes).toBe(10);
    // The estimate never exceeds the budget.
    expect(slow.estimate.seconds).toBeLessThanOrEqual(10 * 60);
  });

  it('takes larger batches from 20,000 training pictures', () => {
    expect(planModel(profile({ train: 19_999 }), offline).spec.training.batch_size).toBe(32);
    expect(planModel(profile({ train: 20_000 }), offline).spec.training.batch_size).toBe(64);
  });

  it('makes a normal spec that parses and builds for its classes', () => {
    for (const p of [profile(), profile({ side: 300 }), profile({ grey: true, side: 12 })]) {
      for (const computer of [offline, online]) {
        const plan = planModel(p, computer);
        expect(parseSpec(plan.spec).ok).toBe(true);
        const backbone = BACKBONES.find((b) => b.id === plan.spec.backbone?.id);
        expect(summarize(plan.spec, 2, backbone ? shapeOf(backbone) : null).issues).toEqual([]);
      }
    }
  });

  it('says every choice and the estimate in English and Spanish', () => {
    for (const plan of [
      planModel(profile({ grey: true }), offline),
      planModel(profile({ side: 200 }), online),
      planModel(profile({ side: 200 }), offline),
    ]) {
      for (const sentence of [...plan.reasons, plan.estimate.sentence]) {
        expect(sayIn('en', sentence)).not.toBe('');
        expect(sayIn('es', sentence)).not.toBe(sayIn('en', sentence));
      }
    }
  });
});

describe('Auto: estimates and measured speed', () => {
  const spec = planModel(profile(), offline).spec;

  it('multiplies pictures by epochs at the rate, and caps the estimate at the time budget', () => {
    const unlimited = estimateTime(
      { ...spec, training: { ...spec.training, epochs: 10, time_budget_minutes: null } },
      1000,
      2,
      GUESSED_SPEED,
    );
    expect(unlimited.seconds).toBeCloseTo(STARTUP_SECONDS + (1000 * 10) / unlimited.picturesPerSecond, 6);
    expect(unlimited.sentence.params).toMatchObject({ pictures: 1000, epochs: 10 });
    const capped = estimateTime(
      { ...spec, training: { ...spec.training, epochs: 10_000, time_budget_minutes: 2 } },
      1000,
      2,
      GUESSED_SPEED,
    );
    expect(capped.seconds).toBe(120);
    expect(capped.epochs).toBeLessThan(10_000);
    expect(sayIn('en', capped.sentence)).toMatch(
      /^about 2 minutes on this computer \(1,000 pictures x \d+ epochs at ~\d+ pictures\/s on wasm\)$/,
    );
  });

  it('reads the speed from earlier runs of the last engine, the guess without any', () => {
    expect(measuredSpeed([])).toBe(GUESSED_SPEED);
    const macs = multiplyAdds(spec, 2);
    const speed = measuredSpeed([{ engine: 'tensorflow', macsPerPicture: macs, pictures: 1000, epochs: 2, seconds: 20 }]);
    expect(speed).toMatchObject({ engine: 'tensorflow', source: 'runs' });
    // The same spec on the same pictures is then estimated at the speed it ran.
    const again = estimateTime({ ...spec, training: { ...spec.training, epochs: 2, time_budget_minutes: null } }, 1000, 2, speed);
    expect(again.seconds).toBeCloseTo(STARTUP_SECONDS + 20, 3);
  });
});

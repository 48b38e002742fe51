// Asking which engine did the last forward passes starts no trainer: the screens ask whenever they
// show a prediction or an evaluation, and a process that never ran has nothing to name.
import { describe, expect, it } from 'vitest';
import { TrainerClient } from '../../main/core/runs/trainer-client';

describe('TrainerClient.inference', () => {
  it('answers nulls without spawning a trainer when none runs', async () => {
    let spawned = 0;
    const client = new TrainerClient(() => {
      spawned++;
      throw new Error('no trainer in this test');
    });
    expect(await client.inference()).toEqual({ features: null, predictions: null });
    expect(spawned).toBe(0);
  });
});

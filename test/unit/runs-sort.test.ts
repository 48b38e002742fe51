// The runs table's order: by any column, either way, starred runs first, empty values last.
import { describe, expect, it } from 'vitest';
import type { EpochMetrics, RunInfo } from '../../preload/contract';
import { PRESETS } from '../../common/model/presets';
import { sortRuns } from '../../renderer/src/lib/run-table';

const spec = PRESETS.find((p) => p.id === 'mlp')!.build({ width: 8, height: 8, channels: 1, resize: 'squash' });
const epoch = (n: number, loss: number, valAccuracy: number | null): EpochMetrics => ({
  epoch: n,
  loss,
  accuracy: 0.5,
  valLoss: null,
  valAccuracy,
  seconds: 1,
});

function run(name: string, createdAt: string, extra: Partial<RunInfo> = {}): RunInfo {
  return {
    id: name,
    projectId: 'p',
    name,
    defaultName: null,
    starred: false,
    status: 'completed',
    spec,
    classNames: ['a', 'b'],
    backend: null,
    createdAt,
    finishedAt: null,
    epochs: [],
    bestEpoch: null,
    durationSeconds: 0,
    estimate: null,
    error: null,
    ...extra,
  };
}

const a = run('alpha', '2026-01-01', { epochs: [epoch(1, 0.9, 0.4), epoch(2, 0.5, 0.7)], durationSeconds: 30 });
const b = run('Beta', '2026-01-03', { epochs: [epoch(1, 0.8, 0.9)], durationSeconds: 5 });
const c = run('gamma', '2026-01-02', { epochs: [epoch(1, 0.2, null)], durationSeconds: 12 });
const names = (runs: RunInfo[]) => runs.map((r) => r.name);

describe('runs table order', () => {
  it('sorts by date, name, figures and time, both ways', () => {
    expect(names(sortRuns([a, b, c], 'date', true))).toEqual(['Beta', 'gamma', 'alpha']);
    expect(names(sortRuns([a, b, c], 'name', false))).toEqual(['alpha', 'Beta', 'gamma']);
    expect(names(sortRuns([a, b, c], 'finalLoss', false))).toEqual(['gamma', 'alpha', 'Beta']);
    expect(names(sortRuns([a, b, c], 'duration', true))).toEqual(['alpha', 'gamma', 'Beta']);
    expect(names(sortRuns([a, b, c], 'epochs', true))).toEqual(['alpha', 'Beta', 'gamma']);
  });

  it('puts runs without a value last whichever way, and starred runs first', () => {
    // gamma has no validation accuracy: last both ways.
    expect(names(sortRuns([a, b, c], 'bestAccuracy', true))).toEqual(['Beta', 'alpha', 'gamma']);
    expect(names(sortRuns([a, b, c], 'bestAccuracy', false))).toEqual(['alpha', 'Beta', 'gamma']);
    expect(names(sortRuns([a, b, { ...c, starred: true }], 'bestAccuracy', true))).toEqual(['gamma', 'Beta', 'alpha']);
  });

  it("sorts by status in the order of a run's life, whatever the language of its label", () => {
    const failed = { ...a, status: 'failed' as const };
    const running = { ...b, status: 'running' as const };
    const stopped = { ...c, status: 'stopped' as const };
    expect(names(sortRuns([failed, stopped, running], 'status', false))).toEqual(['Beta', 'gamma', 'alpha']);
    expect(names(sortRuns([failed, stopped, running], 'status', true))).toEqual(['alpha', 'gamma', 'Beta']);
  });
});

// Facts about runs shared by the train, try and export screens; the words for them are in the
// catalogues (runs.status, runs.badge, runs.presetCustom; a default name and preset titles in the
// core's), so this file holds no words.
import type { RunInfo, RunStatus } from '../../../preload/contract';
import { PRESETS } from '../../../common/model/presets';
import { say, t } from './i18n/i18n.svelte';

/** A run's name on screen: the name it was given ("Run 2") in the current language, or a person's own as typed. */
export const runName = (run: Pick<RunInfo, 'name' | 'defaultName'>): string => (run.defaultName ? say(run.defaultName) : run.name);

/** A preset's title in the current language ("Small CNN", "CNN pequeña"), never its raw id; "Custom" for a design of one's own. */
export function presetTitle(id: string): string {
  const preset = PRESETS.find((p) => p.id === id);
  return preset ? say(preset.title) : t('runs.presetCustom');
}

/** The last epoch's accuracy on validation pictures, else on training pictures. */
export function finalAccuracy(run: RunInfo): { value: number; on: 'validation' | 'training' } | null {
  const last = run.epochs.at(-1);
  if (!last) return null;
  return last.valAccuracy !== null ? { value: last.valAccuracy, on: 'validation' } : { value: last.accuracy, on: 'training' };
}

/** The best validation accuracy of any epoch, or null without validation. */
export function bestValidationAccuracy(run: RunInfo): number | null {
  const values = run.epochs.flatMap((e) => (e.valAccuracy === null ? [] : [e.valAccuracy]));
  return values.length > 0 ? Math.max(...values) : null;
}

/** Statuses from which a run can continue where it ended. */
export const RESUMABLE_STATUSES: ReadonlySet<RunStatus> = new Set(['interrupted', 'stopped']);

/** Whether the Resume button makes sense: cut short, with epochs left to train. */
export const canResume = (run: RunInfo): boolean => RESUMABLE_STATUSES.has(run.status) && run.epochs.length < run.spec.training.epochs;

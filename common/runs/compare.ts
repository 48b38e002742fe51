// Comparing runs: their specs flattened to dotted paths ("training.learning_rate",
// "layers.2.units") and set side by side, the settings on which they disagree first.
import type { ModelSpec } from '../model/spec';

/** One setting of the compared runs' specs, by its flattened path. */
export interface ComparedSetting {
  /** Dotted path in the spec, e.g. "training.learning_rate" or "layers.2.units". */
  path: string;
  /** The same in words, e.g. "Training › learning rate" or "Layer 3 (Dense) › units". */
  label: string;
  /** Its value in each compared run, in the order of `runs`, as text; null where a run has no such setting. */
  values: (string | null)[];
  /** Whether the runs disagree on it. */
  differs: boolean;
}

/** What comparing needs of a run: its spec and the backend that trained it. */
interface ComparedRun {
  spec: ModelSpec;
  backend: { description: string } | null;
}

/** The words a setting's label is made of; the renderer passes its own, in the interface's language. */
export interface SettingWords {
  /** A spec section's name by its key ("training" -> "Training"); an unknown key shows as itself. */
  section: (key: string) => string | undefined;
  /** A layer by its 1-based number and Keras type ("Layer 2 (Dense)"). */
  layer: (number: number, type: string | undefined) => string;
  /** A spec field by its Keras name ("learning_rate" -> "learning rate"). */
  field: (name: string) => string;
}

const SECTIONS: Record<string, string> = {
  version: 'Spec version',
  preset: 'Preset',
  input: 'Input',
  augmentation: 'Augmentation',
  training: 'Training',
  backbone: 'Pretrained network',
  backend: 'Backend',
};

/** The core's English words. */
export const ENGLISH_SETTING_WORDS: SettingWords = {
  section: (key) => SECTIONS[key],
  layer: (number, type) => `Layer ${number}${type ? ` (${type})` : ''}`,
  field: (name) => name.replaceAll('_', ' '),
};

/** A flattened path in words: sections by name, layers by number and kind, fields by name (underscores as spaces in English). */
export function settingLabel(path: string, spec: ModelSpec, names: SettingWords = ENGLISH_SETTING_WORDS): string {
  const [section = '', ...rest] = path.split('.');
  const words = (parts: string[]) => parts.map(names.field);
  if (section === 'layers' && rest.length > 0) {
    const index = Number(rest[0]);
    return [names.layer(index + 1, spec.layers[index]?.type), ...words(rest.slice(1).filter((part) => part !== 'type'))].join(' › ');
  }
  return [names.section(section) ?? section, ...words(rest)].join(' › ');
}

/** A spec (or any JSON value) as one text value per leaf, keyed by its dotted path. */
export function flatten(value: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    // An empty list or object is a value of its own (no layers, no callbacks).
    if (entries.length === 0) into.set(prefix, Array.isArray(value) ? '[]' : '{}');
    for (const [key, child] of entries) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  }
  return into;
}

/** Every setting of the runs' specs plus the backend, those that differ first, each group in path order. */
export function compareSettings(runs: readonly ComparedRun[]): ComparedSetting[] {
  const flat = runs.map((run) => flatten({ ...run.spec, backend: run.backend?.description ?? null }));
  const paths = [...new Set(flat.flatMap((map) => [...map.keys()]))];
  const settings = paths.map((path): ComparedSetting => {
    const values = flat.map((map) => map.get(path) ?? null);
    return { path, label: settingLabel(path, runs[0]!.spec), values, differs: values.some((v) => v !== values[0]) };
  });
  // Stable: within each group the spec's own order (input, layers, training...) is kept.
  return [...settings.filter((s) => s.differs), ...settings.filter((s) => !s.differs)];
}

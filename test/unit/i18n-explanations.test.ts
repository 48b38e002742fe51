// The model screen's explanations (main/core/spec/explanations.ts) are written in English and
// Spanish side by side; the types demand both, and this checks neither is left empty or copied
// from the other. The preset texts in the catalogues must stay the ones presets.ts defines.
import { describe, expect, it } from 'vitest';
import { LAYER_FIELDS, LAYER_HELP, OPTIMIZER_TEXT, SETTING_HELP, type Localized } from '../../main/core/spec/explanations';
import { PRESETS } from '../../main/core/spec/presets';
import en from '../../renderer/src/lib/i18n/en.json';
import es from '../../renderer/src/lib/i18n/es.json';

const explanations: [string, Localized][] = [
  ...Object.entries(LAYER_HELP).map(([type, text]): [string, Localized] => [`LAYER_HELP.${type}`, text]),
  ...Object.entries(LAYER_FIELDS).flatMap(([type, fields]) => fields.map((field): [string, Localized] => [`LAYER_FIELDS.${type}.${field.key}`, field.help])),
  ...Object.entries(SETTING_HELP).map(([key, text]): [string, Localized] => [`SETTING_HELP.${key}`, text]),
  ...Object.entries(OPTIMIZER_TEXT).map(([key, text]): [string, Localized] => [`OPTIMIZER_TEXT.${key}`, text.help]),
];

describe('explanations in both languages', () => {
  it('has every explanation written, and differently, in English and Spanish', () => {
    expect(explanations.length).toBeGreaterThan(40);
    const unwritten = explanations.filter(([, text]) => text.en.trim() === '' || text.es.trim() === '' || text.en === text.es);
    expect(unwritten.map(([where]) => where)).toEqual([]);
  });

  it('uses the course\'s Spanish terms where the English names them', () => {
    const terms: [RegExp, RegExp][] = [
      [/\bneurons?\b/i, /neurona/i],
      [/\bepochs?\b/i, /época/i],
      [/batch size/i, /tamaño de lote/i],
      [/learning rate/i, /tasa de aprendizaje/i],
      [/backpropagation/i, /retropropagación/i],
      [/\biteration/i, /iteraci/i],
    ];
    const missing = explanations.flatMap(([where, text]) =>
      terms.filter(([english, spanish]) => english.test(text.en) && !spanish.test(text.es)).map(([english]) => `${where}: ${english.source}`),
    );
    expect(missing).toEqual([]);
  });

  it('keeps the English preset texts of the catalogue equal to presets.ts, with a Spanish one for each', () => {
    for (const preset of PRESETS) {
      const id = preset.id as keyof typeof en.model.presets;
      expect(en.model.presets[id], preset.id).toEqual({ title: preset.title, description: preset.description });
      expect(es.model.presets[id]?.title, preset.id).toBeTruthy();
    }
  });
});

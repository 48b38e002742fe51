// The model screen's explanations (main/core/spec/explanations.ts) are written in English and
// Spanish side by side; the types demand both, and this checks neither is left empty or copied
// from the other. (Presets describe themselves with the core catalogue's sentences: see spec-sentences.test.ts.)
import { describe, expect, it } from 'vitest';
import { LAYER_FIELDS, LAYER_HELP, OPTIMIZER_TEXT, SETTING_HELP, type Localized } from '../../main/core/spec/explanations';

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
});

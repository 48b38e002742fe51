// The core's message catalogues: every sentence the main side makes for a person (errors, field
// problems, warnings, log lines, undo descriptions, the desktop shell's menu and notifications),
// in each language, one file per area. The screen says them in the person's language; the CLI
// and logs read the English text.
import enCommon from './en/common.json';
import enData from './en/data.json';
import enDesktop from './en/desktop.json';
import enErrors from './en/errors.json';
import enModel from './en/model.json';
import enRuns from './en/runs.json';
import esCommon from './es/common.json';
import esData from './es/data.json';
import esDesktop from './es/desktop.json';
import esErrors from './es/errors.json';
import esModel from './es/model.json';
import esRuns from './es/runs.json';

/** The English catalogue; its keys type every message the core makes. */
export const CORE_EN = { common: enCommon, data: enData, desktop: enDesktop, errors: enErrors, model: enModel, runs: enRuns };

/** Every language's catalogue, by language code (the renderer's LANGUAGES). */
export const CORE_CATALOGUES = {
  en: CORE_EN,
  es: { common: esCommon, data: esData, desktop: esDesktop, errors: esErrors, model: esModel, runs: esRuns },
} as const;

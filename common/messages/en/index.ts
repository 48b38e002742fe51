// English: the core's sentences, one file per area, and the language's own name for the
// Preferences screen. The screens' words are renderer/src/lib/i18n/en.json.
import common from './common.json';
import data from './data.json';
import desktop from './desktop.json';
import errors from './errors.json';
import model from './model.json';
import runs from './runs.json';

/** The language's name, in the language (a person looks for their own). */
export const name = 'English';

/** The core's catalogue by area. */
export const core = { common, data, desktop, errors, model, runs };

// English: everything Capa says in it. The core's sentences, one file per area (said() in main,
// the trainer and common/), the screens' words (screens.json, t() in the renderer), and the
// language's own name for the Preferences screen.
import common from './common.json';
import data from './data.json';
import desktop from './desktop.json';
import errors from './errors.json';
import model from './model.json';
import runs from './runs.json';
import screens from './screens.json';

/** The language's name, in the language (a person looks for their own). */
export const name = 'English';

/** The core's catalogue by area. */
export const core = { common, data, desktop, errors, model, runs };

/** The screens' words (the renderer's t()). */
export { screens };

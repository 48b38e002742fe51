// Types every t() key from the English catalogues (the screens' and the core's), so a misspelt key fails svelte-check.
import 'i18next';
import type { CORE_EN } from '../../../../main/core/messages/catalogue';
import type en from './en.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en; core: typeof CORE_EN };
    returnNull: false;
  }
}

// Types every t() key from the English catalogue, so a misspelt key fails svelte-check.
import 'i18next';
import type en from '../../../../common/messages/en/screens.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
    returnNull: false;
  }
}

// What every piece of project state needs from the app, passed in to avoid import cycles.
import type { CapaApi } from '../../../preload/contract';
import type { Platform } from '../lib/api';

/** The screens of the app, as the sidebar lists them. */
export type Screen = 'projects' | 'data' | 'model' | 'train' | 'evaluate' | 'try' | 'export' | 'preferences';

export interface AppContext {
  api: CapaApi;
  platform: Platform;
  /** Shows a short message in the corner; errors stay until dismissed. */
  toast(message: string, kind?: 'error' | 'info'): void;
}

// The preferences' closed lists, written once: the settings file's schema, the request schema, the
// contract's types and the Preferences screen derive from these (the languages are in
// common/messages/languages.ts, derived from the catalogue folders).

/** How the app is coloured: following the operating system, or always light or dark. */
export const THEMES = ['system', 'light', 'dark'] as const;
/** One of THEMES. */
export type Theme = (typeof THEMES)[number];

/** Where the first-run guide stands: never offered yet, or skipped or finished (never offered again). */
export const GUIDE_PROGRESS = ['new', 'skipped', 'finished'] as const;
/** One of GUIDE_PROGRESS. */
export type GuideProgress = (typeof GUIDE_PROGRESS)[number];

// Whether the Model screen shows the full designer or the simple plan: simple until the person
// presses Customise once, then remembered on this computer (the window's local storage).

/** The storage key (test/helpers/browser.ts sets it to start a test with the designer open). */
const KEY = 'capa.modelDesigner';

/** True once the person opened the full designer (and did not go back to the simple view). */
export function designerOpen(): boolean {
  try {
    return localStorage.getItem(KEY) === 'open';
  } catch {
    return false;
  }
}

/** Remembers the person's choice; a storage that refuses keeps the choice for this window only. */
export function rememberDesigner(open: boolean): void {
  try {
    if (open) localStorage.setItem(KEY, 'open');
    else localStorage.removeItem(KEY);
  } catch {
    // Private windows may refuse storage: the view still changes, it is just not remembered.
  }
}

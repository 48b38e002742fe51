// Where keyboard focus goes when what held it changes. Modal dialogs hold focus: Tab after the last
// control goes to the first and Shift+Tab before the first to the last, so focus never walks into the
// screen behind (the help overlay, the picture viewer; the Keras code dialog is a native <dialog>,
// which does this itself). An inline form or question that replaced its button gives focus back to
// that button when it closes, and a list's button that its own action takes away hands focus to the
// same button of the next item, instead of letting it fall to the page.
import { tick } from 'svelte';

const TABBABLE =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), summary, [tabindex]:not([tabindex="-1"])';

/** Keeps a Tab key press inside `dialog`; call it from the dialog's keydown handler. */
export function holdFocus(event: KeyboardEvent, dialog: HTMLElement): void {
  if (event.key !== 'Tab') return;
  const focusable = [...dialog.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.checkVisibility());
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === dialog)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/** Once the page has updated, focuses what `selector` finds in `root`: e.g. the button an inline form came from. */
export function focusAfterUpdate(root: ParentNode | undefined, selector: string): void {
  void tick().then(() => root?.querySelector<HTMLElement>(selector)?.focus());
}

/**
 * Runs `action`, which takes `button` away (accepting a suggestion, relabelling a picture), then
 * focuses the button of the same data-testid that took its place in the list, so the keyboard
 * carries on down the list.
 */
export async function carryOn(button: HTMLElement, action: () => Promise<unknown> | unknown): Promise<void> {
  const list = button.closest('ul, ol, tbody');
  const selector = `[data-testid="${button.dataset.testid}"]`;
  const index = list ? [...list.querySelectorAll(selector)].indexOf(button) : -1;
  await action();
  await tick();
  if (!list || button.isConnected) return;
  const same = list.querySelectorAll<HTMLElement>(selector);
  same[Math.min(index, same.length - 1)]?.focus();
}

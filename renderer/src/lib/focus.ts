// Where keyboard focus goes when what held it changes. Modal dialogs hold focus: Tab after the last
// control goes to the first and Shift+Tab before the first to the last, so focus never walks into the
// screen behind (the help overlay, the picture viewer; the Keras code dialog is a native <dialog>,
// which does this itself). An inline form or question that replaced its button gives focus back to
// that button when it closes, instead of letting it fall to the page.
import { tick } from 'svelte';

const TABBABLE = 'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), summary, [tabindex]:not([tabindex="-1"])';

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

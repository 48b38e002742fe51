// Which "Learn more" panel is open in one part of a screen. Its buttons may sit beside each setting
// while the panel opens once, at full width, below them.
import type { LearnTopic } from './learn-topics';

let panels = 0;

/** The open topic of one place's "Learn more" buttons (one panel at a time per place). */
export class LearnPanelState {
  open = $state<LearnTopic | null>(null);
  /** The panel's element id, for the buttons' aria-controls. */
  readonly id = `learn-panel-${++panels}`;

  /** Opens a topic, or closes it when it is the one open. */
  toggle(topic: LearnTopic): void {
    this.open = this.open === topic ? null : topic;
  }
}

// The first-run guide: seven steps over the real screens (import the sample, look at the data,
// the model's plan, train, evaluate, try a picture, export). A step moves on when the person does its thing, or with Next. Skipping or
// finishing is saved in the preferences, so the guide starts by itself only once.
import { formatPercent } from '../lib/format';
import { t } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';
import type { CapaApi, GuideProgress, ProjectSummary } from '../../../preload/contract';
import type { Screen } from './context';
import type { SettingsState } from './settings.svelte';
import type { ProjectSession } from './session.svelte';

/** What the first-run guide needs from the app: where the person is, and ways to move them on. */
export interface GuideHost {
  api: CapaApi;
  readonly screen: Screen;
  readonly session: ProjectSession | null;
  readonly settings: SettingsState;
  readonly projects: ProjectSummary[];
  readonly projectsLoaded: boolean;
  loadProjects(): Promise<void>;
  open(project: ProjectSummary): void;
  go(screen: Screen): void;
}

/** One step: the screen it happens on and the element its panel points at. */
export interface GuideStep {
  /** Key of its texts under guide.steps in the catalogues. */
  id: 'import' | 'data' | 'model' | 'train' | 'evaluate' | 'try' | 'export';
  /** The screen the step shows. */
  screen: Screen;
  /** data-testid of the element the panel sits beside and rings. */
  target: string;
}

export const GUIDE_STEPS: readonly GuideStep[] = [
  { id: 'import', screen: 'projects', target: 'create-project-form' },
  { id: 'data', screen: 'data', target: 'split-settings' },
  { id: 'model', screen: 'model', target: 'model-plan' },
  { id: 'train', screen: 'train', target: 'train-button' },
  { id: 'evaluate', screen: 'evaluate', target: 'evaluate-button' },
  { id: 'try', screen: 'try', target: 'try-file-input' },
  { id: 'export', screen: 'export', target: 'export-button' },
];

/** A validation accuracy at or above this reads as "it learned"; below it the guide says the model is weak. */
export const GUIDE_GOOD_ACCURACY = 0.8;

export class GuideState {
  /** Index of the step shown, or null while the guide is closed. */
  step = $state<number | null>(null);
  importing = $state(false);
  error = $state('');
  /** Whether the step was already done when it was shown (going Back to it must not skip it again). */
  private doneWhenShown = false;
  /** The guide offers itself once per start at most. */
  private offered = false;
  /** The project open when the first step was shown. */
  private sessionAtImport: ProjectSession | null = null;

  constructor(private readonly app: GuideHost) {}

  get current(): GuideStep | null {
    return this.step === null ? null : GUIDE_STEPS[this.step]!;
  }

  /** Whether the step moved on by itself and its screen is not shown yet (the previous result still is). */
  get away(): boolean {
    return this.current !== null && this.app.screen !== this.current.screen;
  }

  /** Whether the step's thing is done, so Next is the obvious move (and the step advances by itself). */
  get done(): boolean {
    const session = this.app.session;
    switch (this.current?.id) {
      case 'import':
      case 'data':
      case 'model':
      case 'evaluate':
      case 'try':
        // The import moves on by itself once it is done; looking at the data or at the final
        // evaluation has no end but Next.
        return false;
      case 'train':
        return session?.runs.runs.some((run) => run.status === 'completed') ?? false;
      case 'export':
        return session?.exporter.result != null;
      default:
        return false;
    }
  }

  /**
   * What the step's done sentence says, following what happened: after training, the finished
   * run's best validation accuracy, and whether that is a model that works or a weak one.
   */
  doneText(id: GuideStep['id']): string {
    if (id !== 'train') return t(`guide.steps.${id}.done`);
    const run = this.app.session?.runs.runs.find((r) => r.status === 'completed');
    const accuracies = (run?.epochs ?? []).map((e) => e.valAccuracy).filter((a): a is number => a !== null);
    if (accuracies.length === 0) return t('guide.steps.train.done');
    const accuracy = formatPercent(Math.max(...accuracies));
    return Math.max(...accuracies) >= GUIDE_GOOD_ACCURACY
      ? t('guide.steps.train.doneGood', { accuracy })
      : t('guide.steps.train.doneWeak', { accuracy });
  }

  /**
   * Moves on when the step's thing gets done while it is shown; the last step waits for Finish.
   * The screen stays, so the person can look at the result (the charts, the export): the next
   * step's panel points at its screen in the sidebar until the person goes there.
   */
  advanceIfDone(): void {
    if (this.step !== null && this.step < GUIDE_STEPS.length - 1 && this.done && !this.doneWhenShown) this.show(this.step + 1, false);
  }

  /**
   * Someone who opens or creates a project of their own instead of importing the sample has gone
   * their own way: the offer closes, without counting as skipped (Take the tour brings it back).
   */
  followApp(): void {
    if (this.step === 0 && !this.importing && this.app.session !== null && this.app.session !== this.sessionAtImport) this.step = null;
  }

  /** Offers the guide on a first start: preferences say it is new and there are no projects yet. */
  offer(): void {
    const settings = this.app.settings.settings;
    if (this.offered || settings == null || !this.app.projectsLoaded) return;
    this.offered = true;
    if (this.step === null && settings.guide === 'new' && this.app.projects.length === 0) this.start();
  }

  start(): void {
    this.error = '';
    this.show(0);
  }

  next(): void {
    if (this.step === null) return;
    // A step that moved on by itself is still to be done: Next opens its screen first.
    if (this.away && this.step > 0) return this.show(this.step);
    if (this.step === GUIDE_STEPS.length - 1) void this.close('finished');
    else this.show(this.step + 1);
  }

  back(): void {
    if (this.step !== null && this.step > 0) this.show(this.step - 1);
  }

  skip(): Promise<void> {
    return this.close('skipped');
  }

  /** Step 1's action: a new project of the bundled sample pictures, opened on the Data screen. */
  async importSample(): Promise<void> {
    this.importing = true;
    this.error = '';
    const made = await attempt(this.app.api.importSample({ name: t('guide.sampleName') }), (message) => (this.error = message));
    if (!made) {
      this.importing = false;
      return;
    }
    await this.app.loadProjects();
    this.app.open(made.project);
    this.show(1);
    this.importing = false;
  }

  private show(index: number, navigate = true): void {
    this.step = index;
    if (index === 0) this.sessionAtImport = this.app.session;
    const screen = GUIDE_STEPS[index]!.screen;
    // Steps after the import need the project; without one, the import step is the place to be.
    if (screen !== 'projects' && this.app.session === null) return this.show(0);
    if (navigate && this.app.screen !== screen) this.app.go(screen);
    this.doneWhenShown = this.done;
  }

  private async close(progress: GuideProgress): Promise<void> {
    this.step = null;
    await this.app.settings.setGuide(progress);
  }
}

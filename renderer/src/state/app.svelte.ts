// The app's top-level state: connection, the projects list, the open project and the screen.
import type { ProjectSummary } from '../../../preload/contract';
import type { ConnectionStatus, Platform } from '../lib/api';
import { attempt, describeError } from '../lib/result';
import type { AppContext, Screen } from './context';
import { GuideState } from './guide.svelte';
import { ProjectSession } from './session.svelte';
import { SettingsState } from './settings.svelte';

export type { Screen } from './context';

export interface Toast {
  id: number;
  message: string;
  kind: 'error' | 'info';
}

export class AppState implements AppContext {
  readonly platform: Platform;
  connection = $state<ConnectionStatus>('connecting');
  screen = $state<Screen>('projects');
  projects = $state<ProjectSummary[]>([]);
  projectsLoaded = $state(false);
  projectsError = $state('');
  session = $state<ProjectSession | null>(null);
  toasts = $state<Toast[]>([]);
  private nextToast = 1;

  /** Preferences; loading them applies the saved theme. */
  readonly settings: SettingsState;
  /** The first-run guide over the screens. */
  readonly guide: GuideState;
  /** Whether the keyboard help overlay is open. */
  helpOpen = $state(false);

  constructor(platform: Platform) {
    this.platform = platform;
    this.settings = new SettingsState(platform);
    this.guide = new GuideState(this);
    platform.onStatus((status) => {
      const wasDown = this.connection === 'reconnecting';
      this.connection = status;
      // Events may have been missed while down: fetch the truth again.
      if (status === 'open' && wasDown) void this.refresh();
    });
    platform.api.onRunEvent((event) => this.session?.runs.handle(event));
  }

  get api() {
    return this.platform.api;
  }

  toast(message: string, kind: 'error' | 'info' = 'error'): void {
    const id = this.nextToast++;
    this.toasts.push({ id, message, kind });
    if (kind === 'info') setTimeout(() => this.dismiss(id), 4000);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }

  async refresh(): Promise<void> {
    await this.loadProjects();
    await this.session?.load();
  }

  async loadProjects(): Promise<void> {
    const projects = await attempt(this.api.listProjects({}), (message) => (this.projectsError = message));
    if (projects) {
      this.projects = projects;
      this.projectsError = '';
    }
    this.projectsLoaded = true;
  }

  /** Creates a project and opens it; returns an error sentence or null. */
  async createProject(name: string): Promise<string | null> {
    let error: string | null = null;
    const project = await attempt(this.api.createProject({ name }), (message) => (error = message));
    if (!project) return error;
    await this.loadProjects();
    this.open(project);
    return null;
  }

  async renameProject(projectId: string, name: string): Promise<string | null> {
    let error: string | null = null;
    const project = await attempt(this.api.renameProject({ projectId, name }), (message) => (error = message));
    if (!project) return error;
    if (this.session?.project.id === projectId) this.session.project = project;
    await this.loadProjects();
    return null;
  }

  async deleteProject(projectId: string): Promise<string | null> {
    let error: string | null = null;
    const done = await attempt(this.api.deleteProject({ projectId }), (message) => (error = message));
    if (done === undefined) return error;
    if (this.session?.project.id === projectId) this.close();
    await this.loadProjects();
    return null;
  }

  open(project: ProjectSummary): void {
    this.session = new ProjectSession(this, project);
    this.screen = 'data';
    void this.session.load();
  }

  close(): void {
    this.session = null;
    this.screen = 'projects';
    void this.loadProjects();
  }

  /** Desktop app: shows an export of the open project in the file manager. */
  async reveal(directory: string): Promise<void> {
    if (!this.session) return;
    // The folder's name only: main resolves it inside the project's exports folder.
    const folder = directory.split(/[\\/]/).filter(Boolean).pop() ?? '';
    const result = await this.api.revealExport({ projectId: this.session.project.id, folder });
    if (!result.ok) this.toast(describeError(result.error));
  }

  go(screen: Screen): void {
    // Projects and Preferences need no open project; the steps do.
    this.screen = this.session || screen === 'projects' || screen === 'preferences' ? screen : 'projects';
    if (screen === 'projects') void this.loadProjects();
  }
}

// The application service as its hosts see it: Electron IPC, the browser host and the CLI all
// call operations through this one object, so validation and error values live in one place.
import type { BackboneEvent, ImportEvent, MediaKind, OperationName, Result, RunEvent } from '../../../preload/contract';
import type { TrainerPort } from '../../trainer/protocol';

export interface CapaService {
  /** Validates `request` against the operation's schema, runs it, and never throws. */
  call(name: OperationName, request: unknown): Promise<Result<unknown>>;
  /** Subscribes to run events of every project; returns the unsubscribe function. */
  onRunEvent(listener: (event: RunEvent) => void): () => void;
  /** Subscribes to background import events of every project; returns the unsubscribe function. */
  onImportEvent(listener: (event: ImportEvent) => void): () => void;
  /** Subscribes to backbone download events; returns the unsubscribe function. */
  onBackboneEvent(listener: (event: BackboneEvent) => void): () => void;
  /** A finished export of a project (a plain file name in its exports folder), or null. */
  downloadFile(projectId: string, fileName: string): Promise<string | null>;
  /** The file behind a media path, or null when the project or image does not exist. */
  mediaFile(kind: MediaKind, projectId: string, imageId: number): Promise<string | null>;
  /** Stops training (marking running runs interrupted) and closes every database. */
  close(): Promise<void>;
}

/** How a host creates the service. */
export interface CapaServiceOptions {
  /** Folder that holds every project. */
  dataDir: string;
  host: 'electron' | 'browser';
  /** Starts a training process; defaults to `child_process.fork`. Electron passes utilityProcess. */
  spawnTrainer?: () => TrainerPort;
  /** The preferences file; without it preferences last for the session and the data folder cannot be moved. */
  settingsFile?: string;
  /** What only the desktop shell can do; without it those operations answer 'unsupported'. */
  desktop?: DesktopHooks;
  /** The folder of the first-run guide's sample pictures; defaults to assets/sample of the source or build tree. */
  sampleDir?: string;
}

/** Abilities of the desktop shell that core asks for by name, so core never imports Electron. */
export interface DesktopHooks {
  /** Shows a folder in the system file manager. */
  reveal(path: string): void;
  /** A native folder picker; null when cancelled. */
  chooseFolder(title: string): Promise<string | null>;
  /** The data folder was copied to `to` and recorded; the shell restarts to use it. */
  dataFolderMoved(to: string): void;
  /** The operating system's preferred languages, first preferred, for a language choice of "system". */
  systemLanguages?(): string[];
}

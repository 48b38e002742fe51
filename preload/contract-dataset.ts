// The dataset part of the contract: classes, images, import, splits, undo and portability.
// Types only, plus the names.
import type { Said } from '../common/messages/said';
import type { ExportResult } from './contract-export';
import type { ProjectSummary } from './contract-projects';

export type Split = 'train' | 'validation' | 'test';

/** A class (label) of a project. */
export interface ClassInfo {
  id: number;
  name: string;
  /** CSS colour of its card. */
  color: string;
  imageCount: number;
  /** Images of this class in each split. */
  splitCounts: Record<Split, number>;
}

/** An image of a project. */
export interface ImageInfo {
  id: number;
  /** Null when unlabelled. */
  classId: number | null;
  split: Split;
  /** Name of the file it was imported from. */
  fileName: string;
  width: number;
  height: number;
  /** Size of the stored file in bytes. */
  bytes: number;
  /** The import batch that brought it in, or null (imported before batches existed). */
  batchId: number | null;
  /** Whether the user pinned its split (re-balancing never moves it). */
  pinned: boolean;
}

/** One import (a drop, a dialog choice, a CLI call): what came in together. */
export interface ImportBatch {
  id: number;
  /** What was dropped: a folder's own name (no key), or a sentence such as "3 items". */
  label: Said;
  /** ISO 8601 time of the import. */
  createdAt: string;
  /** Images of this batch still in the project. */
  imported: number;
  /** The split every image of the batch is pinned to, or null when not pinned. */
  pinnedSplit: Split | null;
}

/** Everything the dataset screen shows at once. */
export interface DatasetView {
  project: ProjectSummary;
  classes: ClassInfo[];
  unlabelledCount: number;
  splitCounts: Record<Split, number>;
  /** Problems a person should fix before training, each a sentence saying what to do. */
  warnings: Said[];
  /** Import batches, newest first. */
  batches: ImportBatch[];
  /** The last destructive action, when it can still be undone. */
  undo: UndoableAction | null;
  /** Target percentage of each split (they sum to 100). */
  splitShares: Record<Split, number>;
}

/** A destructive action that can still be undone. */
export interface UndoableAction {
  /** What it did, e.g. "Delete 3 pictures". */
  description: Said;
}

/** Which images a grid shows; every filter is optional and they combine with AND. */
export interface ImageFilter {
  /** One class, Unlabelled (null), or every image (omitted). */
  classId?: number | null;
  split?: Split;
  /** Case-insensitive substring of the file name. */
  search?: string;
  /** Smallest allowed shorter side, in pixels. */
  minSide?: number;
  /** Largest allowed shorter side, in pixels. */
  maxSide?: number;
  /** Only images of this import batch. */
  batchId?: number;
}

/** Why a file was not imported. */
export type RejectReason = 'empty' | 'truncated' | 'corrupt' | 'not-an-image' | 'unsupported-format' | 'too-many-pixels' | 'unreadable';

/** A file an import could not use, and why (the sentence a person reads). */
export interface RejectedFile extends Said {
  /** Path relative to what was dropped; empty when the whole import failed rather than one file. */
  file: string;
  /** Why, as a code. */
  reason: RejectReason;
}

/** What one import did. */
export interface ImportReport {
  imported: number;
  /** Files already in the project (same bytes), with the class that holds them. */
  duplicates: { file: string; className: string | null }[];
  /** Files that cannot be used, each with its reason. */
  rejected: RejectedFile[];
  /** Classes this import created. */
  classesCreated: string[];
}

/** Live events of a background import, pushed from main to the renderer. */
export type ImportEvent =
  | {
      importId: string;
      projectId: string;
      kind: 'progress';
      done: number;
      total: number;
      imagesPerSecond: number;
      secondsLeft: number | null;
    }
  | { importId: string; projectId: string; kind: 'done'; report: ImportReport; cancelled: boolean };

/** A file sent by a renderer that has no file paths (the browser host). */
export interface UploadedFile {
  /** Path relative to what was dropped, e.g. "cats/tom.jpg"; sub-folders make classes. */
  relativePath: string;
  bytes: Uint8Array;
}

/** Operations on a project's pictures and classes. */
export interface DatasetOperations {
  /** Classes, counts, splits, warnings, batches and the undoable action of a project. */
  getDataset: { request: { projectId: string }; response: DatasetView };
  /** A page of images matching the filters, in import order, with the total that match. */
  listImages: {
    request: { projectId: string; offset: number; limit: number } & ImageFilter;
    response: { images: ImageInfo[]; total: number };
  };
  /** Imports files and folders by path and waits (CLI, tests); folders of folders make classes (ignoreFolders: every file goes to classId). */
  importPaths: {
    request: { projectId: string; paths: string[]; classId?: number | null; split?: Split; ignoreFolders?: boolean | null };
    response: ImportReport;
  };
  /** Starts importing files and folders by path in the background; progress comes as ImportEvents. */
  startImport: {
    request: { projectId: string; paths: string[]; classId?: number | null; split?: Split; ignoreFolders?: boolean | null };
    response: { importId: string };
  };
  /** The folder's name when the paths are one folder of pictures with no sub-folders (so a person can choose: a class named after it, or Unlabelled); else null. */
  flatFolder: { request: { projectId: string; paths: string[] }; response: { name: string | null } };
  /** Stops a background import after the files in flight; what was imported stays. */
  cancelImport: { request: { projectId: string; importId: string }; response: null };
  /** Imports files sent as bytes (browser host); chunks of one drop pass the batchId of the first reply. */
  importFiles: {
    request: {
      projectId: string;
      files: UploadedFile[];
      classId?: number | null;
      batchId?: number;
      split?: Split;
      ignoreFolders?: boolean | null;
    };
    response: { report: ImportReport; batchId: number };
  };
  /** Adds a class. */
  createClass: { request: { projectId: string; name: string }; response: ClassInfo };
  /** Renames a class. */
  renameClass: { request: { projectId: string; classId: number; name: string }; response: ClassInfo };
  /** Changes the colour of a class card (CSS hex colour, e.g. "#2563eb"). */
  recolorClass: { request: { projectId: string; classId: number; color: string }; response: ClassInfo };
  /** Deletes a class, with its images (withImages) or moving them to Unlabelled; undoable. */
  deleteClass: { request: { projectId: string; classId: number; withImages: boolean }; response: null };
  /** Moves every image of the source class into the target class and deletes the source; undoable. */
  mergeClasses: { request: { projectId: string; sourceClassId: number; targetClassId: number }; response: ClassInfo };
  /** Moves images to a class, or to Unlabelled with null; undoable. */
  setImageClass: { request: { projectId: string; imageIds: number[]; classId: number | null }; response: null };
  /** Deletes images from the project; undoable until the next destructive action. */
  deleteImages: { request: { projectId: string; imageIds: number[] }; response: null };
  /** Undoes the last destructive action; returns what was undone. */
  undo: { request: { projectId: string }; response: UndoableAction };
  /** Sets the split percentages (summing to 100) and re-balances every unpinned image per class. */
  setSplitShares: { request: { projectId: string; train: number; validation: number; test: number }; response: DatasetView };
  /** Pins images to a split (null unpins them, leaving them where they are). */
  pinImages: { request: { projectId: string; imageIds: number[]; split: Split | null }; response: null };
  /** Pins every image of an import batch to a split (null unpins), e.g. a separate test folder. */
  pinBatch: { request: { projectId: string; batchId: number; split: Split | null }; response: null };
  /** Writes the data set as a folder per class plus dataset.csv (file,class,split), as a folder or a zip. */
  exportDataset: { request: { projectId: string; format: 'folder' | 'zip' }; response: ExportResult };
  /** Writes the whole project (data, classes, splits, specs, runs) as one .capa archive. */
  exportProject: { request: { projectId: string }; response: ExportResult };
  /** Creates a new project from a .capa archive; refuses a damaged or unsafe archive. */
  importProject: { request: { path: string }; response: ProjectSummary };
}

export const DATASET_OPERATION_NAMES = [
  'getDataset',
  'listImages',
  'importPaths',
  'startImport',
  'cancelImport',
  'flatFolder',
  'importFiles',
  'createClass',
  'renameClass',
  'recolorClass',
  'deleteClass',
  'mergeClasses',
  'setImageClass',
  'deleteImages',
  'undo',
  'setSplitShares',
  'pinImages',
  'pinBatch',
  'exportDataset',
  'exportProject',
  'importProject',
] as const satisfies readonly (keyof DatasetOperations)[];

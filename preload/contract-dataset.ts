// The dataset part of the contract: classes, images, import. Types only, plus the names.
import type { ProjectSummary } from './contract';

/** A class (label) of a project. */
export interface ClassInfo {
  id: number;
  name: string;
  /** CSS colour of its card. */
  color: string;
  imageCount: number;
}

export type Split = 'train' | 'validation' | 'test';

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
}

/** Everything the dataset screen shows at once. */
export interface DatasetView {
  project: ProjectSummary;
  classes: ClassInfo[];
  unlabelledCount: number;
  splitCounts: Record<Split, number>;
}

/** Why a file was not imported. */
export type RejectReason = 'empty' | 'truncated' | 'corrupt' | 'not-an-image' | 'unsupported-format' | 'too-many-pixels' | 'unreadable';

/** What one import did. */
export interface ImportReport {
  imported: number;
  /** Files already in the project (same bytes), with the class that holds them. */
  duplicates: { file: string; className: string | null }[];
  /** Files that cannot be used, each with its reason. */
  rejected: { file: string; reason: RejectReason; message: string }[];
  /** Classes this import created. */
  classesCreated: string[];
}

/** A file sent by a renderer that has no file paths (the browser host). */
export interface UploadedFile {
  /** Path relative to what was dropped, e.g. "cats/tom.jpg"; sub-folders make classes. */
  relativePath: string;
  bytes: Uint8Array;
}

/** Operations on a project's pictures and classes. */
export interface DatasetOperations {
  /** Classes, counts and splits of a project. */
  getDataset: { request: { projectId: string }; response: DatasetView };
  /** A page of images: of one class, of Unlabelled (classId null), or all (classId omitted). */
  listImages: {
    request: { projectId: string; classId?: number | null; offset: number; limit: number };
    response: { images: ImageInfo[]; total: number };
  };
  /** Imports files and folders by path (Electron, CLI); folders of folders make classes. */
  importPaths: { request: { projectId: string; paths: string[]; classId?: number | null }; response: ImportReport };
  /** Imports files sent as bytes (browser host); sub-folders in relativePath make classes. */
  importFiles: { request: { projectId: string; files: UploadedFile[]; classId?: number | null }; response: ImportReport };
  /** Adds a class. */
  createClass: { request: { projectId: string; name: string }; response: ClassInfo };
  /** Renames a class. */
  renameClass: { request: { projectId: string; classId: number; name: string }; response: ClassInfo };
  /** Deletes a class; its images become unlabelled. */
  deleteClass: { request: { projectId: string; classId: number }; response: null };
  /** Moves images to a class, or to Unlabelled with null. */
  setImageClass: { request: { projectId: string; imageIds: number[]; classId: number | null }; response: null };
  /** Deletes images from the project. */
  deleteImages: { request: { projectId: string; imageIds: number[] }; response: null };
}

export const DATASET_OPERATION_NAMES = [
  'getDataset',
  'listImages',
  'importPaths',
  'importFiles',
  'createClass',
  'renameClass',
  'deleteClass',
  'setImageClass',
  'deleteImages',
] as const satisfies readonly (keyof DatasetOperations)[];

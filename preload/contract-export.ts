// The export part of the contract: which formats a run's model can be written to (and why not,
// when a layer has no equivalent), and the export itself. Types only, plus the names.
import type { Said } from '../common/messages/said';

/** Where an export was written. */
export interface ExportResult {
  /** Folder holding the files. */
  directory: string;
  /** File names written in it. */
  files: string[];
  /** Browser host only: path under which the written file can be downloaded (`/download/<projectId>/<file>`). */
  download?: string;
}

/** Every file format a trained model can be exported to. */
export const EXPORT_FORMATS = ['tfjs', 'keras', 'h5', 'onnx', 'tflite', 'tflite-int8', 'bundle'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Which of a run's saved weights to export. */
export type ExportWeights = 'best' | 'last';

/** How a TensorFlow.js export stores its weights: as trained, or smaller at some accuracy cost. */
export type ExportQuantization = 'none' | 'float16' | 'uint8';

/** One format as the export dialog lists it for a given run. */
export interface ExportFormatInfo {
  /** Which format this entry describes. */
  format: ExportFormat;
  /** Name shown to a person, e.g. "Keras (.keras)". */
  title: Said;
  /** One sentence on what the format is for. */
  purpose: Said;
  /** Main file names the export writes. */
  files: string[];
  /** Whether this run's model can be written in this format. */
  available: boolean;
  /** When not available: which layer stops it and why, as a sentence. */
  reason: Said | null;
  /** Whether the format can store smaller, quantised weights. */
  quantizable: boolean;
}

/** Weights sets a run has saved, so the dialog only offers those that exist. */
export interface ExportChoices {
  /** Formats in the order the dialog lists them. */
  formats: ExportFormatInfo[];
  /** Which weights exist on disk for this run. */
  weights: ExportWeights[];
}

/** How to load an export in one language, with the preprocessing spelled out. */
export interface UsageSnippet {
  /** "Python", "JavaScript" or "Kotlin". */
  language: string;
  /** File written beside the model, e.g. "usage.py". */
  fileName: string;
  /** The code itself. */
  code: string;
}

/** Where a model export was written and what it holds. */
export interface ModelExportResult {
  /** The format written. */
  format: ExportFormat;
  /** Folder holding the files. */
  directory: string;
  /** File names written in it, sorted. */
  files: string[];
  /** Total size of the files in bytes. */
  bytes: number;
  /** How to load it, in each language the format serves. */
  snippets: UsageSnippet[];
  /** Quantised exports (TensorFlow.js float16/uint8, TensorFlow Lite int8): accuracy on the held-out images before and after quantisation. */
  accuracy: { images: number; original: number; exported: number } | null;
  /** Wall time of the export in milliseconds. */
  milliseconds: number;
  /** Browser host only: path under which the written folder can be downloaded. */
  download?: string;
}

/** Operations that write a trained model out of Capa. */
export interface ExportOperations {
  /** The formats a finished run can be exported to, each with why not when it cannot. */
  exportChoices: { request: { projectId: string; runId: string }; response: ExportChoices };
  /** Writes a run's model in one format into a new folder (under `directory`, or the project's exports folder). */
  exportRun: {
    request: {
      projectId: string;
      runId: string;
      format: ExportFormat;
      /** Best (default) or last epoch's weights. */
      weights?: ExportWeights;
      /** TensorFlow.js only; default none. */
      quantization?: ExportQuantization;
      /** Folder in which the export's own folder is created; default: the project's exports folder. */
      directory?: string;
    };
    response: ModelExportResult;
  };
  /** Stops the run's exports that are being written; they leave nothing behind and answer "cancelled". */
  cancelExport: { request: { projectId: string; runId: string }; response: null };
}

export const EXPORT_OPERATION_NAMES = ['exportChoices', 'exportRun', 'cancelExport'] as const satisfies readonly (keyof ExportOperations)[];

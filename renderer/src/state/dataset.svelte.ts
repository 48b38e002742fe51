// The data screen's state: classes and counts, pages of thumbnails per class, imports.
import type { DatasetView, ImageInfo, ImportReport, UploadedFile } from '../../../preload/contract';
import { chunks, type Picked } from '../lib/files';
import { attempt } from '../lib/result';
import type { AppContext } from './context';

/** Thumbnails shown per card and per "Show more". */
export const PAGE_SIZE = 60;
/** Files per importFiles call: keeps each WebSocket message small and progress visible. */
export const IMPORT_CHUNK = 32;

/** The loaded images of one class (or of Unlabelled). */
export interface ImageGroup {
  images: ImageInfo[];
  total: number;
  loading: boolean;
  error: string;
}

/** Key of a class's group; null is Unlabelled. */
export const groupKey = (classId: number | null): string => (classId === null ? 'unlabelled' : String(classId));

export class DatasetState {
  view = $state<DatasetView | null>(null);
  error = $state('');
  groups = $state<Record<string, ImageGroup>>({});
  /** Files sent so far during a browser import. */
  importing = $state<{ sent: number; total: number } | null>(null);
  report = $state<ImportReport | null>(null);
  importError = $state('');

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
  ) {}

  async load(): Promise<void> {
    const view = await attempt(this.context.api.getDataset({ projectId: this.projectId }), (message) => (this.error = message));
    if (!view) return;
    this.error = '';
    this.view = view;
    const ids: (number | null)[] = [...view.classes.map((c) => c.id), null];
    await Promise.all(ids.map((id) => this.loadPage(id, true)));
  }

  /** Loads the first page (reset) or the next one. */
  async loadPage(classId: number | null, reset = false): Promise<void> {
    const key = groupKey(classId);
    if (!this.groups[key]) this.groups[key] = { images: [], total: 0, loading: false, error: '' };
    // Read back through the proxy so that changes below are reactive.
    const group = this.groups[key];
    if (group.loading) return;
    group.loading = true;
    const offset = reset ? 0 : group.images.length;
    const page = await attempt(
      this.context.api.listImages({ projectId: this.projectId, classId, offset, limit: PAGE_SIZE }),
      (message) => (group.error = message),
    );
    group.loading = false;
    if (!page) return;
    group.error = '';
    group.images = reset ? page.images : [...group.images, ...page.images];
    group.total = page.total;
  }

  /** Imports what was dropped or chosen; `classId` when dropped on a class card. */
  async importPicked(picked: Picked, classId?: number | null): Promise<void> {
    this.report = null;
    this.importError = '';
    const onError = (message: string) => (this.importError = message);
    if (picked.kind === 'paths') {
      this.importing = { sent: 0, total: picked.paths.length };
      const report = await attempt(this.context.api.importPaths({ projectId: this.projectId, paths: picked.paths, classId }), onError);
      this.importing = null;
      if (report) this.report = report;
    } else {
      if (picked.files.length === 0) {
        this.importError = 'No files were found in what you dropped. Drop a folder that holds pictures.';
        return;
      }
      const merged: ImportReport = { imported: 0, duplicates: [], rejected: [], classesCreated: [] };
      this.importing = { sent: 0, total: picked.files.length };
      // The chunks of one drop share the import batch the first one started.
      let batchId: number | undefined;
      for (const chunk of chunks(picked.files, IMPORT_CHUNK)) {
        const files: UploadedFile[] = await Promise.all(
          chunk.map(async ({ relativePath, file }) => ({ relativePath, bytes: new Uint8Array(await file.arrayBuffer()) })),
        );
        const reply = await attempt(this.context.api.importFiles({ projectId: this.projectId, files, classId, ...(batchId ? { batchId } : {}) }), onError);
        if (!reply) break;
        const { report } = reply;
        batchId = reply.batchId;
        merged.imported += report.imported;
        merged.duplicates.push(...report.duplicates);
        merged.rejected.push(...report.rejected);
        for (const name of report.classesCreated) if (!merged.classesCreated.includes(name)) merged.classesCreated.push(name);
        this.importing = { sent: this.importing.sent + chunk.length, total: picked.files.length };
        this.report = { ...merged };
      }
      this.importing = null;
    }
    await this.load();
  }

  dismissReport(): void {
    this.report = null;
    this.importError = '';
  }

  /** Returns an error sentence, or null when done. */
  async createClass(name: string): Promise<string | null> {
    return this.change(this.context.api.createClass({ projectId: this.projectId, name }));
  }

  async renameClass(classId: number, name: string): Promise<string | null> {
    return this.change(this.context.api.renameClass({ projectId: this.projectId, classId, name }));
  }

  async deleteClass(classId: number): Promise<string | null> {
    return this.change(this.context.api.deleteClass({ projectId: this.projectId, classId, withImages: false }));
  }

  private async change(call: Parameters<typeof attempt>[0]): Promise<string | null> {
    let error: string | null = null;
    const value = await attempt(call, (message) => (error = message));
    if (value === undefined) return error;
    await this.load();
    return null;
  }
}

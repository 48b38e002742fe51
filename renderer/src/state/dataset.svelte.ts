// The data screen's state: the dataset view (classes, counts, warnings, batches, undo), the grid
// of the current filter, the import in progress, and every change a person makes to the data.
import type { DatasetView, ExportResult, Result, Split } from '../../../preload/contract';
import { flatFolderName } from '../../../common/dataset/folder-classes';
import type { Picked } from '../lib/files';
import { say, t } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';
import type { AppContext } from './context';
import { ImageGridState } from './image-grid.svelte';
import { ImportState, type ImportTarget } from './import.svelte';

export class DatasetState {
  view = $state<DatasetView | null>(null);
  error = $state('');
  readonly grid: ImageGridState;
  readonly importer: ImportState;
  /** The last export written, with where to find it. */
  exported = $state<{ what: string; result: ExportResult } | null>(null);
  busy = $state(false);
  /** What the last change did, shown next to Undo (one line, replaced by the next change). */
  notice = $state('');

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
  ) {
    this.grid = new ImageGridState(context, projectId);
    this.importer = new ImportState(context, projectId, (finished) => (finished ? this.load() : this.refreshView()));
  }

  /** The view and the grid's first page, fetched side by side so the first thumbnails show sooner. */
  async load(): Promise<void> {
    await Promise.all([this.refreshView(), this.grid.reset()]);
    if (!this.view) return;
    // A filtered class may have been deleted or merged meanwhile: fall back to every image.
    const classId = this.grid.filter.classId;
    if (typeof classId === 'number' && !this.view.classes.some((c) => c.id === classId)) await this.grid.setFilter({});
  }

  async refreshView(): Promise<void> {
    const view = await attempt(this.context.api.getDataset({ projectId: this.projectId }), (message) => (this.error = message));
    if (!view) return;
    this.error = '';
    this.view = view;
  }

  /** The name a person knows a class by; null is Unlabelled. */
  className(classId: number | null): string {
    if (classId === null) return t('common.unlabelled');
    return this.view?.classes.find((c) => c.id === classId)?.name ?? t('data.deletedClass');
  }

  importPicked(picked: Picked, target: ImportTarget): Promise<void> {
    this.notice = ''; // the import's own report takes over
    return this.importer.start(picked, target);
  }

  /** Adds one picture sent as bytes to a class (Try's "Is this right?"); returns what happened, in words. */
  async addPicture(fileName: string, bytes: Uint8Array, classId: number): Promise<string> {
    let error = '';
    const done = await attempt(
      this.context.api.importFiles({ projectId: this.projectId, files: [{ relativePath: fileName, bytes }], classId }),
      (message) => (error = message),
    );
    if (!done) return error;
    await this.load();
    const { report } = done;
    const duplicate = report.duplicates[0];
    if (report.imported > 0) return t('try.confirm.added', { name: fileName, className: this.className(classId) });
    if (duplicate) return t('try.confirm.duplicate', { name: fileName, className: duplicate.className ?? t('common.unlabelled') });
    return report.rejected[0] ? say(report.rejected[0]) : error;
  }

  /** The folder's name when what was picked is one folder of pictures with no sub-folders; else null. */
  async flatFolderOf(picked: Picked): Promise<string | null> {
    if (picked.kind === 'files') return flatFolderName(picked.files.map((f) => f.relativePath));
    const reply = await attempt(
      this.context.api.flatFolder({ projectId: this.projectId, paths: picked.paths }),
      (message) => (this.error = message),
    );
    return reply?.name ?? null;
  }

  /** Each returns an error sentence, or null when done. */
  createClass(name: string): Promise<string | null> {
    return this.change(this.context.api.createClass({ projectId: this.projectId, name }), undefined, true);
  }

  renameClass(classId: number, name: string): Promise<string | null> {
    return this.change(this.context.api.renameClass({ projectId: this.projectId, classId, name }), undefined, true);
  }

  recolorClass(classId: number, color: string): Promise<string | null> {
    return this.change(this.context.api.recolorClass({ projectId: this.projectId, classId, color }), undefined, true);
  }

  deleteClass(classId: number, withImages: boolean): Promise<string | null> {
    const name = this.className(classId);
    return this.change(
      this.context.api.deleteClass({ projectId: this.projectId, classId, withImages }),
      t('data.done.deletedClass', { name }),
    );
  }

  mergeClasses(sourceClassId: number, targetClassId: number): Promise<string | null> {
    const [source, target] = [this.className(sourceClassId), this.className(targetClassId)];
    return this.change(
      this.context.api.mergeClasses({ projectId: this.projectId, sourceClassId, targetClassId }),
      t('data.done.merged', { source, target }),
    );
  }

  /** Moves images (the selection by default) to a class, or to Unlabelled with null. */
  async moveImages(classId: number | null, imageIds: number[] = [...this.grid.selected]): Promise<void> {
    if (imageIds.length === 0) return this.hint();
    const message = t('data.done.moved', { count: imageIds.length, name: this.className(classId) });
    await this.report(this.change(this.context.api.setImageClass({ projectId: this.projectId, imageIds, classId }), message));
  }

  async deleteSelection(): Promise<void> {
    const imageIds = [...this.grid.selected];
    if (imageIds.length === 0) return this.hint();
    await this.report(
      this.change(
        this.context.api.deleteImages({ projectId: this.projectId, imageIds }),
        t('data.done.deleted', { count: imageIds.length }),
      ),
    );
  }

  async undo(): Promise<void> {
    if (!this.view?.undo) {
      this.notice = t('data.done.nothingToUndo');
      return;
    }
    let error: string | null = null;
    const done = await attempt(this.context.api.undo({ projectId: this.projectId }), (message) => (error = message));
    if (!done) return this.context.toast(error ?? t('data.done.nothingUndone'));
    this.notice = t('data.done.undone', { what: say(done.description) });
    await this.load();
  }

  setSplitShares(train: number, validation: number, test: number): Promise<string | null> {
    return this.change(this.context.api.setSplitShares({ projectId: this.projectId, train, validation, test }), t('data.done.rebalanced'));
  }

  async pinSelection(split: Split | null): Promise<void> {
    const imageIds = [...this.grid.selected];
    if (imageIds.length === 0) return this.hint();
    const count = imageIds.length;
    const message = split ? t('data.done.pinned', { count, split: t(`common.splitWord.${split}`) }) : t('data.done.unpinned', { count });
    await this.report(this.change(this.context.api.pinImages({ projectId: this.projectId, imageIds, split }), message));
  }

  pinBatch(batchId: number, split: Split | null): Promise<string | null> {
    return this.change(this.context.api.pinBatch({ projectId: this.projectId, batchId, split }));
  }

  async exportDataset(format: 'folder' | 'zip'): Promise<void> {
    await this.write(
      this.context.api.exportDataset({ projectId: this.projectId, format }),
      format === 'zip' ? t('data.portability.whatZip') : t('data.portability.whatFolder'),
    );
  }

  async exportProject(): Promise<void> {
    await this.write(this.context.api.exportProject({ projectId: this.projectId }), t('data.portability.whatProject'));
  }

  private async write(call: Promise<Result<ExportResult>>, what: string): Promise<void> {
    this.busy = true;
    const result = await attempt(call, (message) => this.context.toast(message));
    this.busy = false;
    if (result) this.exported = { what, result };
  }

  private hint(): void {
    this.notice = t('data.done.selectFirst');
  }

  private async report(done: Promise<string | null>): Promise<void> {
    const error = await done;
    if (error) this.context.toast(error);
  }

  /** Runs a change and reloads; the selection survives changes that leave the pictures alone. */
  private async change(call: Promise<Result<unknown>>, success?: string, keepSelection = false): Promise<string | null> {
    let error: string | null = null;
    const value = await attempt(call, (message) => (error = message));
    if (value === undefined) return error;
    if (!keepSelection) this.grid.clearSelection();
    await this.load();
    if (success) this.notice = success;
    return null;
  }
}

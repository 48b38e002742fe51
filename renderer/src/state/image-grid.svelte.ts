// The thumbnail grid's state: the filter, the total, the pages fetched so far (a bounded cache,
// so 50,000 images never sit in memory at once), the selection and the keyboard focus.
import { SvelteSet } from 'svelte/reactivity';
import type { ImageFilter, ImageInfo } from '../../../preload/contract';
import { attempt } from '../lib/result';
import type { AppContext } from './context';

/** Images per listImages call; a page is about three screens of thumbnails. */
export const GRID_PAGE = 120;
/** Pages kept in memory; the farthest from what is on screen go first. */
const MAX_PAGES = 24;
/** The server's largest page, used when a range selection needs ids of pages not on screen. */
const MAX_LIMIT = 1000;

export class ImageGridState {
  filter = $state<ImageFilter>({ classId: undefined });
  total = $state(0);
  /** Loaded pages by page number; raw because pages are replaced, never edited in place. */
  pages = $state.raw<ReadonlyMap<number, ImageInfo[]>>(new Map());
  error = $state('');
  loaded = $state(false);
  readonly selected = new SvelteSet<number>();
  /** Index of the cell the keyboard is on. */
  focus = $state(0);
  /** Where a shift-click range starts. */
  anchor = $state<number | null>(null);
  private inflight = new Set<number>();
  /** Bumped on every reset so answers to an older filter are dropped. */
  private generation = 0;

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
  ) {}

  /** The image at an index, when its page is loaded. */
  imageAt(index: number): ImageInfo | undefined {
    return this.pages.get(Math.floor(index / GRID_PAGE))?.[index % GRID_PAGE];
  }

  /** Shows another filter: back to the top, selection cleared. */
  async setFilter(filter: ImageFilter): Promise<void> {
    this.filter = filter;
    this.selected.clear();
    this.focus = 0;
    this.anchor = null;
    await this.reset();
  }

  /** Drops every page and fetches the first one again (after a change to the data). */
  async reset(): Promise<void> {
    this.generation++;
    this.inflight.clear();
    this.pages = new Map();
    this.focus = Math.min(this.focus, Math.max(0, this.total - 1));
    await this.loadPage(0);
    this.loaded = true;
  }

  /** Makes sure the pages covering indices [first, last) are loaded or loading. */
  ensure(first: number, last: number): void {
    const from = Math.floor(first / GRID_PAGE);
    const to = Math.floor(Math.max(first, last - 1) / GRID_PAGE);
    for (let page = from; page <= to; page++) void this.loadPage(page);
    this.evict((from + to) / 2);
  }

  private async loadPage(page: number): Promise<void> {
    if (this.pages.has(page) || this.inflight.has(page)) return;
    if (page > 0 && page * GRID_PAGE >= this.total) return;
    const generation = this.generation;
    this.inflight.add(page);
    const result = await this.fetch(page * GRID_PAGE, GRID_PAGE);
    this.inflight.delete(page);
    if (!result || generation !== this.generation) return;
    this.total = result.total;
    const pages = new Map(this.pages);
    pages.set(page, result.images);
    this.pages = pages;
  }

  private evict(around: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const keep = [...this.pages.keys()].sort((a, b) => Math.abs(a - around) - Math.abs(b - around)).slice(0, MAX_PAGES);
    this.pages = new Map(keep.map((page) => [page, this.pages.get(page)!]));
  }

  private fetch(offset: number, limit: number) {
    // Unset filters are left out rather than sent empty.
    const filter = Object.fromEntries(
      Object.entries(this.filter).filter(([, value]) => value !== undefined && value !== ''),
    ) as ImageFilter;
    const request = { projectId: this.projectId, offset, limit, ...filter };
    return attempt(this.context.api.listImages(request), (message) => (this.error = message));
  }

  /** Ids of indices [first, last], fetching what is not loaded. */
  private async idsOf(first: number, last: number): Promise<number[]> {
    const ids: number[] = [];
    let index = first;
    while (index <= last) {
      const image = this.imageAt(index);
      if (image) {
        ids.push(image.id);
        index++;
        continue;
      }
      const result = await this.fetch(index, Math.min(MAX_LIMIT, last - index + 1));
      if (!result || result.images.length === 0) break;
      ids.push(...result.images.map((i) => i.id));
      index += result.images.length;
    }
    return ids;
  }

  /** A click: alone, with ctrl/cmd (toggle) or with shift (range from the anchor). */
  async click(index: number, mode: { toggle: boolean; range: boolean }): Promise<void> {
    const image = this.imageAt(index);
    this.focus = index;
    if (mode.range && this.anchor !== null) {
      const ids = await this.idsOf(Math.min(this.anchor, index), Math.max(this.anchor, index));
      if (!mode.toggle) this.selected.clear();
      for (const id of ids) this.selected.add(id);
      return;
    }
    this.anchor = index;
    if (!image) return;
    if (mode.toggle) {
      if (this.selected.has(image.id)) this.selected.delete(image.id);
      else this.selected.add(image.id);
    } else {
      this.selected.clear();
      this.selected.add(image.id);
    }
  }

  /** Replaces (or, adding, extends) the selection with the images at these indices. */
  selectIndices(indices: number[], base: readonly number[] = []): void {
    this.selected.clear();
    for (const id of base) this.selected.add(id);
    for (const index of indices) {
      const image = this.imageAt(index);
      if (image) this.selected.add(image.id);
    }
  }

  /** Every image the filter shows. */
  async selectAll(): Promise<void> {
    if (this.total === 0) return;
    const ids = await this.idsOf(0, this.total - 1);
    this.selected.clear();
    for (const id of ids) this.selected.add(id);
  }

  clearSelection(): void {
    this.selected.clear();
    this.anchor = null;
  }
}

// The "look inside a trained model" panel's state: the run and the picture chosen, and what each
// layer of the run's model computed for that picture.
import type { ActivationsImage, ActivationsView } from '../../../preload/contract';
import { attempt } from '../lib/result';
import type { AppContext } from './context';

/** A picture the panel can look at. */
export interface ActivationsPicture {
  /** What to send: a project picture's id or a file's bytes. */
  image: ActivationsImage;
  /** Where the renderer shows it. */
  url: string;
  /** Its file name. */
  name: string;
}

/** Project pictures offered per class: enough to compare classes, few enough to fit one row. */
const PER_CLASS = 3;

export class ActivationsState {
  /** A few of the project's pictures, some of each class. */
  pictures = $state<ActivationsPicture[]>([]);
  /** The picture looked at. */
  chosen = $state<ActivationsPicture | null>(null);
  /** What each layer computed for it. */
  view = $state<ActivationsView | null>(null);
  busy = $state(false);
  error = $state('');
  /** The last file chosen, whose object URL is freed when another replaces it. */
  private fileUrl: string | null = null;

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
  ) {}

  /** Loads a few pictures of each class. */
  async loadPictures(classIds: readonly number[]): Promise<void> {
    const pages = await Promise.all(
      classIds.map((classId) =>
        attempt(this.context.api.listImages({ projectId: this.projectId, offset: 0, limit: PER_CLASS, classId }), () => {}),
      ),
    );
    this.pictures = pages.flatMap((page) =>
      (page?.images ?? []).map((image) => ({
        image: { imageId: image.id },
        url: this.context.platform.mediaUrl('thumb', this.projectId, image.id),
        name: image.fileName,
      })),
    );
  }

  /** Uses a file from the person's computer. */
  async chooseFile(file: File): Promise<ActivationsPicture> {
    if (this.fileUrl) URL.revokeObjectURL(this.fileUrl);
    this.fileUrl = URL.createObjectURL(file);
    return { image: { bytes: new Uint8Array(await file.arrayBuffer()) }, url: this.fileUrl, name: file.name };
  }

  /** Runs `picture` through the run's model. */
  async look(runId: string, picture: ActivationsPicture): Promise<void> {
    this.chosen = picture;
    this.error = '';
    this.busy = true;
    const view = await attempt(
      this.context.api.activations({ projectId: this.projectId, runId, image: $state.snapshot(picture.image) as ActivationsImage }),
      (message) => (this.error = message),
    );
    this.busy = false;
    // A slower earlier answer must not replace the one for the picture chosen last.
    if (this.chosen === picture) this.view = view ?? null;
  }
}

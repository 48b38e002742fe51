// The try screen's state: one picture, its preview and the model's prediction.
import type { CapaApi, Prediction } from '../../../preload/contract';
import { attempt } from '../lib/result';

export class PredictState {
  previewUrl = $state<string | null>(null);
  fileName = $state('');
  prediction = $state<Prediction | null>(null);
  error = $state('');
  busy = $state(false);
  /** The bytes of the picture shown, kept so "Is this right?" can add it to the data set. */
  bytes: Uint8Array | null = null;
  /** What adding the picture to the data set did, in words; cleared by the next picture. */
  added = $state('');

  constructor(private readonly api: CapaApi) {}

  async predict(projectId: string, runId: string, image: Blob, name: string): Promise<void> {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = URL.createObjectURL(image);
    this.fileName = name;
    this.prediction = null;
    this.error = '';
    this.added = '';
    this.busy = true;
    const bytes = new Uint8Array(await image.arrayBuffer());
    this.bytes = bytes;
    const prediction = await attempt(this.api.predict({ projectId, runId, bytes }), (message) => (this.error = message));
    this.busy = false;
    if (prediction) this.prediction = prediction;
  }

  dispose(): void {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
  }
}

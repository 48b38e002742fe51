// Small images for the "look inside" views, drawn on a canvas and shown as <img> (scaled up with
// crisp pixels by CSS): a feature map in grays, a filter of the first convolution in colour.
import type { FilterImages } from '../../../preload/contract';

/** RGBA bytes of `width x height` pixels as a PNG data URL. */
function toUrl(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas.toDataURL();
}

/** Gray levels of raw values, stretched from their min (black) to their max (white); a flat map (a channel that found nothing, often all 0 after relu) is black. */
export function grayLevels(values: readonly number[]): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const range = max - min;
  return values.map((v) => (range > 0 ? Math.round(((v - min) / range) * 255) : 0));
}

/** A feature map as a grayscale image: bright where the channel answers most. */
export function mapUrl(values: readonly number[], width: number, height: number): string {
  const rgba = new Uint8ClampedArray(width * height * 4);
  grayLevels(values).forEach((g, i) => rgba.set([g, g, g, 255], i * 4));
  return toUrl(rgba, width, height);
}

/** One filter of a `filters` event as an image (colour when the layer sees colour). */
export function filterUrl(filters: FilterImages, index: number): string {
  const { width, height, channels, values } = filters;
  const size = width * height;
  const rgba = new Uint8ClampedArray(size * 4);
  const start = index * size * channels;
  for (let p = 0; p < size; p++) {
    const at = start + p * channels;
    const [r, g, b] = channels === 3 ? [values[at]!, values[at + 1]!, values[at + 2]!] : [values[at]!, values[at]!, values[at]!];
    rgba.set([r, g, b, 255], p * 4);
  }
  return toUrl(rgba, width, height);
}

// The first convolutional layer's kernel as small images, sent before the first epoch and after
// each one while a run trains (the Train screen's live filters).
import { MAX_FILTERS, type FilterImages } from '../../preload/contract-activations';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

/**
 * The first top-level Conv2D layer's kernel [kh, kw, in, out] as up to MAX_FILTERS small images,
 * each stretched to 0..255 on its own (a filter's pattern matters, not its scale); null without one.
 */
export function firstConvFilters(model: LayersModel): FilterImages | null {
  const conv = model.layers.find((layer) => layer.getClassName() === 'Conv2D');
  const kernel = conv?.getWeights()[0];
  if (!kernel || kernel.rank !== 4) return null;
  const [height, width, inputs, total] = kernel.shape as [number, number, number, number];
  const data = kernel.dataSync();
  const channels = inputs === 3 ? 3 : 1;
  const count = Math.min(total, MAX_FILTERS);
  const values: number[] = [];
  for (let f = 0; f < count; f++) {
    const filter: number[] = [];
    for (let p = 0; p < height * width; p++) {
      if (channels === 3) for (let c = 0; c < 3; c++) filter.push(data[(p * inputs + c) * total + f]!);
      else {
        // Another number of input channels than 3 has no colour to show: their mean is the filter's shape.
        let sum = 0;
        for (let c = 0; c < inputs; c++) sum += data[(p * inputs + c) * total + f]!;
        filter.push(sum / inputs);
      }
    }
    const min = Math.min(...filter);
    const range = Math.max(...filter) - min;
    values.push(...filter.map((v) => (range > 0 ? Math.round(((v - min) / range) * 255) : 128)));
  }
  return { count, total, height, width, channels, values };
}

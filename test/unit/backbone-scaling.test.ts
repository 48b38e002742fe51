// How an imported layers model wants its pixels, read from its model.json: a Rescaling layer
// among its first layers (the model scales bytes itself), its family by name, or the format's
// usual range.
import { describe, expect, it } from 'vitest';
import { MINUS_ONE_TO_ONE, ZERO_TO_ONE } from '../../common/backbones/catalogue';
import { pixelScaling, RAW_BYTES } from '../../main/core/backbones/inspect';

const layersModel = (name: string, layers: { class_name: string; config?: Record<string, unknown> }[]) => ({
  format: 'layers-model',
  modelTopology: { class_name: 'Functional', config: { name, layers: [{ class_name: 'InputLayer', config: {} }, ...layers] } },
});

describe('pixelScaling', () => {
  it('gives raw bytes to a model whose own Rescaling layer scales them', () => {
    const json = layersModel('my_net', [{ class_name: 'Rescaling', config: { scale: 1 / 127.5, offset: -1 } }, { class_name: 'Conv2D' }]);
    expect(pixelScaling(json, 'layers')).toEqual({ normalization: RAW_BYTES, source: 'rescaling' });
  });

  it("reads a known family from the model's name, inside Keras's model_config too", () => {
    expect(pixelScaling(layersModel('mobilenetv2_1.00_224', [{ class_name: 'Conv2D' }]), 'layers')).toEqual({
      normalization: MINUS_ONE_TO_ONE,
      source: 'family',
    });
    const efficientnet = { modelTopology: { model_config: layersModel('efficientnetb0', [{ class_name: 'Conv2D' }]).modelTopology } };
    expect(pixelScaling(efficientnet, 'layers')).toEqual({ normalization: RAW_BYTES, source: 'family' });
  });

  it('falls back to [-1, 1] for an unknown layers model and [0, 1] for a graph model, and says it is the usual range', () => {
    expect(pixelScaling(layersModel('custom', [{ class_name: 'Conv2D' }]), 'layers')).toEqual({
      normalization: MINUS_ONE_TO_ONE,
      source: 'format',
    });
    expect(pixelScaling({ format: 'graph-model' }, 'graph')).toEqual({ normalization: ZERO_TO_ONE, source: 'format' });
  });
});

// "Look inside" operations: one picture through a finished run's model, every layer's output
// returned for the feature-map and activation views. The picture is one of the project's or
// bytes the renderer sent; it is read and checked here as a prediction's picture is.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ActivationsImage, ActivationOperations, ActivationsView, LayerActivations } from '../../../preload/contract-activations';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import type { Project } from '../projects/project';
import { summarize } from '../../../common/model/summary';
import { ImageStore } from '../dataset/image-store';
import { readEntry, runModel, unusablePicture } from '../predict/batch-predict';
import { imageBytes, projectId, runId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

export const ACTIVATION_REQUESTS: SchemasOf<ActivationOperations> = {
  activations: z.object({
    projectId,
    runId,
    image: z.union([z.object({ imageId: z.number().int().positive() }).strict(), z.object({ bytes: imageBytes }).strict()]),
  }),
};

async function activations(context: ServiceContext, projectId: string, runId: string, image: ActivationsImage): Promise<ActivationsView> {
  const model = await runModel(context, projectId, runId);
  const picture = await pictureBytes(model.project, image);
  const bytes = await readEntry({ relativePath: 'picture', read: async () => picture });
  if (!(bytes instanceof Uint8Array)) throw new CapaError('invalid-argument', unusablePicture(bytes.error));
  let layers: LayerActivations[];
  try {
    layers = await context.trainer.activations(model.modelDir, model.run.spec.input, { bytes }, model.backbone);
  } catch (error) {
    // The bytes passed the importer's checks; the decoder still refused them.
    if (error instanceof Error && /decod|unsupported image|Input buffer/i.test(error.message)) {
      throw new CapaError('invalid-argument', said('errors.inside.notDecoded', { detail: error.message }));
    }
    throw error;
  }
  // The saved model names its layers as TensorFlow.js does ("conv2d_Conv2D1"); the names a person
  // saw in the summary and the diagram are Keras's, so the view uses those when the layers match.
  if (!model.run.spec.backbone) {
    const rows = summarize(model.run.spec, model.run.classNames.length).rows;
    if (rows.length === layers.length && rows.every((row, i) => row.type === layers[i]!.type))
      layers = layers.map((layer, i) => ({ ...layer, name: rows[i]!.name }));
  }
  return { layers, backbone: model.run.spec.backbone?.id ?? null, classNames: model.run.classNames };
}

async function pictureBytes(project: Project, image: ActivationsImage): Promise<Uint8Array> {
  if ('bytes' in image) return image.bytes;
  const file = project.images.file(image.imageId);
  if (!file) throw new CapaError('not-found', said('errors.inside.pictureMissing', { id: image.imageId }));
  return new Uint8Array(await readFile(await new ImageStore(project.dir).containedImagePath(file.hash, file.ext)));
}

export function activationHandlers(context: ServiceContext): HandlersOf<ActivationOperations> {
  return {
    activations: ({ projectId, runId, image }) => activations(context, projectId, runId, image),
  };
}

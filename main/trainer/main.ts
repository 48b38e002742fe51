// Entry of the training process. It runs as an Electron utilityProcess (messages on
// process.parentPort) or as a child_process.fork (process.send), picks the backend once at start,
// and answers TrainerRequests one reply each, streaming run events while a train runs.
import type { BackendInfo, RunEvent } from '../../preload/contract';
import sharp from 'sharp';
import { selectBackend, selectEngine, type SelectedBackend, type SelectedEngine } from './backends';
import { imageActivations } from './activations';
import { explainImage } from './explain';
import { forgetBackbone } from './features';
import { forgetInference, inferenceReport } from './inference';
import { forgetModel, modelFor, predictBatch, predictImages, predictThroughBackbone } from './predict';
import { TrainingFailure, type SerializedError, type TrainerMessage, type TrainerRequest } from './protocol';
import { runTraining } from './train';
import { runTransferTraining } from './transfer';
import { isEngineWindowMessage } from './engines/chromium-wire';

/** The slice of Electron's utilityProcess parentPort this process uses. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

// Training decodes each image once per epoch (or reads it from the pixel cache): libvips's
// operation cache (up to 50 MB) would only hold memory that grows with the images seen.
sharp.cache(false);

/** Sends a message; `then` runs once it has left this process (fork) or been queued (Electron). */
function post(message: TrainerMessage, then?: () => void): void {
  if (parentPort) {
    parentPort.postMessage(message);
    if (then) setImmediate(then);
  } else {
    process.send?.(message, undefined, undefined, () => then?.());
  }
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof TrainingFailure) return { name: error.name, message: error.message, stack: error.stack, said: error.said };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

// Selected once: a second libtensorflow in one process fails, and WASM compiles once.
const backend: Promise<SelectedBackend> = selectBackend();
backend.catch(() => undefined); // reported on each request instead of crashing the process
// The training engine over it (engines/engine.ts), chosen once and kept alive between runs.
const engine: Promise<SelectedEngine> = backend.then((selected) => selectEngine(selected));
engine.catch(() => undefined);

let current: { runId: string; stop: boolean } | null = null;

async function handle(request: TrainerRequest): Promise<unknown> {
  switch (request.type) {
    case 'hello':
      return (await engine).info satisfies BackendInfo;
    case 'train': {
      if (current) {
        throw new Error(`The trainer is already running run ${current.runId}; runs are queued by the app, one at a time.`);
      }
      const { tf, info: processInfo } = await backend;
      const selected = await engine;
      const run = { runId: request.job.runId, stop: false };
      current = run;
      try {
        // Transfer learning (a head on features, or fine-tuning a backbone) trains in this process on
        // its backend; the engine trains the spec's own networks.
        const transfer = request.job.backbone !== undefined;
        const context = {
          tf,
          backend: transfer ? processInfo : selected.info,
          ...(transfer ? {} : { engine: selected.engine }),
          emit: (event: RunEvent) => post({ type: 'event', event }),
          shouldStop: () => run.stop,
        };
        return await (request.job.backbone
          ? runTransferTraining(request.job, request.job.backbone, context)
          : runTraining(request.job, context));
      } finally {
        current = null;
      }
    }
    case 'stop':
      if (current?.runId === request.runId) current.stop = true;
      return null;
    case 'predict': {
      const { tf } = await backend;
      if (request.backbone)
        return predictThroughBackbone(tf, request.backbone, await modelFor(tf, request.modelDir), request.input, request.images);
      return predictImages(tf, request.modelDir, request.input, request.images);
    }
    case 'predictBatch':
      return predictBatch((await backend).tf, request.modelDir, request.input, request.images, request.backbone);
    case 'activations':
      return imageActivations((await backend).tf, request.modelDir, request.input, request.image, request.backbone);
    case 'explain':
      return explainImage((await backend).tf, request);
    case 'inference':
      return inferenceReport();
    case 'shutdown':
      forgetModel();
      forgetBackbone();
      await forgetInference();
      await (await engine.catch(() => null))?.engine.dispose();
      return null; // the process exits once this reply is sent (onRequest)
  }
}

function onRequest(data: unknown): void {
  const request = data as TrainerRequest;
  handle(request).then(
    (result) =>
      post({ type: 'reply', seq: request.seq, ok: true, result }, request.type === 'shutdown' ? () => process.exit(0) : undefined),
    (error: unknown) => post({ type: 'reply', seq: request.seq, ok: false, error: serializeError(error) }),
  );
}

// Messages about the engine window are the Chromium engine's own (engines/chromium.ts).
if (parentPort) parentPort.on('message', (event) => void (isEngineWindowMessage(event.data) || onRequest(event.data)));
else if (process.send) {
  process.on('message', onRequest);
  // The app that forked this process is gone (crashed or killed): stop at once rather than keep
  // training into the run's folder, which the next app will resume from its checkpoint.
  process.on('disconnect', () => process.exit(0));
} else throw new Error('The trainer must be started by Capa (utilityProcess or child_process.fork), not run directly.');

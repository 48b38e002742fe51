// The runs' sentences carry their keys and values, on real tiny training through the service:
// default run names, the run log (early stopping, learning rate lowered, best weights, final
// evaluation), stored errors (and old plain rows), evaluation and Try refusals. Each is checked in
// English (unchanged text) and as the Spanish screen says it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent, RunInfo, Said } from '../../preload/contract';
import { openDatabase } from '../../main/core/db/database';
import { readSaid, said } from '../../common/messages/said';
import { unusablePicture } from '../../main/core/predict/batch-predict';
import { failureSentence } from '../../main/core/runs/queue';
import { forkTrainerPort, TrainerClient, TrainerError } from '../../main/core/runs/trainer-client';
import { RunRepository } from '../../main/core/runs/repository';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { PRESETS } from '../../common/model/presets';
import { sayIn } from '../helpers/say';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { trainProject } from '../helpers/train';
import { projectPaths } from '../../main/core/projects/project-paths';

let service: CapaService;
let dataDir: string;
let projectId: string;
const events: RunEvent[] = [];
let run: RunInfo;

/** The log lines of a run, as sentences. */
const logOf = (runId: string): (Said & { level: string })[] => events.flatMap((e) => (e.kind === 'log' && e.runId === runId ? [e] : []));
const lineWith = (runId: string, key: string) => logOf(runId).find((line) => line.key === key);

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm';
  dataDir = tempDir();
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 16, seed: 4 });
  service = createCapaService({ dataDir, host: 'browser' });
  service.onRunEvent((event) => events.push(event));
  projectId = (await callOrThrow(service, 'createProject', { name: 'Sentences' })).id;
  await callOrThrow(service, 'importPaths', { projectId, paths: [shapes] });
  // A learning rate this small cannot improve the loss by min_delta = 1: the learning rate is
  // lowered after each epoch without progress and early stopping ends the run after epoch 3.
  const spec = PRESETS.find((p) => p.id === 'mlp')!.build(
    { width: 16, height: 16, channels: 3, resize: 'squash' },
    {
      epochs: 10,
      batch_size: 8,
      seed: 5,
      learning_rate: 1e-9,
      early_stopping: { monitor: 'loss', patience: 2, min_delta: 1, restore_best_weights: true },
      reduce_lr_on_plateau: { monitor: 'loss', factor: 0.5, patience: 1, min_lr: 0 },
    },
  );
  await callOrThrow(service, 'saveSpec', { projectId, spec });
  run = await trainProject(service, projectId);
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

describe("runs' sentences", () => {
  it('names a new run with a sentence, said in each language; a rename stays as typed', async () => {
    expect(run).toMatchObject({
      status: 'completed',
      name: 'Run 1',
      defaultName: { message: 'Run 1', key: 'runs.names.default', params: { n: 1 } },
    });
    expect(sayIn('es', run.defaultName!)).toBe('Entrenamiento 1');
    const renamed = await callOrThrow(service, 'renameRun', { projectId, runId: run.id, name: 'Run 2' });
    expect(renamed).toMatchObject({ name: 'Run 2', defaultName: null });
    // The next default name skips what a person typed, however it is stored.
    const next = await trainProject(service, projectId);
    expect(next).toMatchObject({ name: 'Run 3', defaultName: { key: 'runs.names.default', params: { n: 3 } } });
    expect(sayIn('es', next.defaultName!)).toBe('Entrenamiento 3');
  });

  it('logs early stopping, a lowered learning rate and the best weights with keys and values', () => {
    const stopped = lineWith(run.id, 'runs.train.stoppedEarly');
    expect(stopped).toMatchObject({
      level: 'info',
      message: 'Stopped early after epoch 3: loss did not improve for 2 epochs.',
      params: { epoch: 3, monitor: 'loss', count: 2 },
    });
    expect(sayIn('es', stopped!)).toBe('Parada temprana después de la época 3: loss no mejoró durante 2 épocas.');
    const lowered = logOf(run.id).filter((line) => line.key === 'runs.train.lrLowered');
    expect(lowered.map((line) => line.message)).toEqual([
      'No progress for 1 epoch: learning rate lowered from 1e-9 to 5e-10.',
      'No progress for 1 epoch: learning rate lowered from 5e-10 to 2.5e-10.',
    ]);
    expect(sayIn('es', lowered[0]!)).toBe('Sin progreso durante 1 época: la tasa de aprendizaje baja de 1e-9 a 5e-10.');
    const best = lineWith(run.id, 'runs.train.bestWeightsValidation');
    expect(best?.params).toMatchObject({ epoch: 1, accuracy: expect.any(Number) });
    // Numbers take the language's format: a decimal comma in Spanish.
    const accuracy = best!.params!['accuracy'] as number;
    expect(best!.message).toBe(`Best weights: epoch 1 (validation accuracy ${accuracy.toFixed(1)}%).`);
    expect(sayIn('es', best!)).toBe(`Mejores pesos: época 1 (exactitud de validación ${accuracy.toFixed(1).replace('.', ',')} %).`);
    const decoded = lineWith(run.id, 'runs.pipeline.decodedCached');
    expect(decoded?.params).toMatchObject({ width: 16, height: 16, channels: 3 });
    expect(sayIn('es', decoded!)).toMatch(/^Imágenes de 16x16x3: \d+ decodificadas; \d+ leídas de la caché de píxeles\.$/);
  });

  it('logs the final evaluation with its numbers, formatted per language', () => {
    const final = lineWith(run.id, 'runs.evaluate.final');
    expect(final).toMatchObject({
      level: 'info',
      params: { images: expect.any(Number), accuracy: expect.any(Number), loss: expect.any(Number) },
    });
    const { images, accuracy, loss } = final!.params as { images: number; accuracy: number; loss: number };
    expect(final!.message).toBe(
      `Final evaluation on ${images} test pictures with the best weights: accuracy ${accuracy.toFixed(1)}%, loss ${loss.toFixed(4)}.`,
    );
    const comma = (value: number, digits: number) => value.toFixed(digits).replace('.', ',');
    expect(sayIn('es', final!)).toBe(
      `Evaluación final con ${images} imágenes de prueba y los pesos de la mejor época: exactitud ${comma(accuracy, 1)} %, pérdida ${comma(loss, 4)}.`,
    );
  });

  it('reads back old plain-text rows, and marks a run of a dead process interrupted with a keyed sentence', () => {
    const db = openDatabase(projectPaths(join(dataDir, projectId)).database);
    try {
      const runs = new RunRepository(db, projectId);
      // A row written before sentences had keys: plain English text, a plain name.
      db.prepare('UPDATE runs SET error = ?, name = ? WHERE id = ?').run(
        'The loss became NaN at epoch 2, batch 1: training diverged.',
        'Run 1',
        run.id,
      );
      expect(runs.get(run.id)).toMatchObject({
        name: 'Run 1',
        defaultName: null,
        error: { message: 'The loss became NaN at epoch 2, batch 1: training diverged.' },
      });
      expect(runs.get(run.id).error).not.toHaveProperty('key');
      db.prepare("UPDATE runs SET status = 'running', owner_pid = NULL WHERE id = ?").run(run.id);
      expect(runs.markInterrupted(() => false)).toBe(1);
      const interrupted = runs.get(run.id);
      expect(interrupted.error).toEqual({
        message: 'Capa closed or crashed while this run was training. Resume it to continue after its last finished epoch.',
        key: 'runs.training.appClosed',
      });
      expect(sayIn('es', interrupted.error!)).toBe(
        'Capa se cerró o falló mientras este entrenamiento estaba en curso. Reanúdalo para seguir después de su última época terminada.',
      );
    } finally {
      db.close();
    }
  });

  it('refuses to use an interrupted run that saved no weights, and evaluation refusals are keyed', async () => {
    // This run saved its best weights before it was marked interrupted; as one killed before its first epoch ended, it has none.
    const db = openDatabase(join(dataDir, projectId, 'project.db'));
    db.prepare('UPDATE runs SET best_epoch = NULL WHERE id = ?').run(run.id);
    db.close();
    const refused = await service.call('predict', { projectId, runId: run.id, bytes: new Uint8Array([1, 2, 3]) });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: `Run ${run.id} was interrupted before it saved the weights of any epoch; only a run with saved weights has a model to use. Choose another run or wait for it to finish.`,
        key: 'runs.use.notUsable.interrupted',
        params: { id: run.id },
      },
    });
    if (!refused.ok)
      expect(sayIn('es', refused.error)).toMatch(
        /^El entrenamiento \S+ se interrumpió antes de guardar los pesos de alguna época; solo un entrenamiento con pesos guardados tiene un modelo que usar\./,
      );
    const next = (await callOrThrow(service, 'listRuns', { projectId })).find((r) => r.status === 'completed')!;
    const unknownImage = await service.call('explainImage', { projectId, runId: next.id, imageId: 999_999, weights: 'best' });
    expect(unknownImage).toMatchObject({
      ok: false,
      error: {
        code: 'not-found',
        message: 'Image 999999 is no longer in this project; it may have been deleted.',
        key: 'runs.explain.imageGone',
      },
    });
    // An id is a name, not a quantity: no thousands separator.
    if (!unknownImage.ok) expect(sayIn('es', unknownImage.error)).toBe('La imagen 999999 ya no está en este proyecto; quizá se eliminó.');
    const image = (await callOrThrow(service, 'listImages', { projectId, offset: 0, limit: 1 })).images[0]!;
    const unknownClass = await service.call('explainImage', {
      projectId,
      runId: next.id,
      imageId: image.id,
      weights: 'best',
      className: 'hexagon',
    });
    expect(unknownClass).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', key: 'runs.explain.unknownClass', params: { name: 'hexagon' } },
    });
    if (!unknownClass.ok) expect(sayIn('es', unknownClass.error)).toBe('Este entrenamiento no aprendió ninguna clase llamada «hexagon».');
    const explained = await callOrThrow(service, 'explainImage', { projectId, runId: next.id, imageId: image.id, weights: 'best' });
    // An MLP has no convolution of its own: occlusion, and the note says why.
    expect(explained.note).toMatchObject({ key: 'runs.explain.occlusion' });
    expect(sayIn('es', explained.note)).toMatch(/^Oclusión: cuánto baja esta clase/);
  });

  it('brings a training failure across the process boundary with its sentence', async () => {
    const client = new TrainerClient(forkTrainerPort);
    try {
      const spec = PRESETS.find((p) => p.id === 'mlp')!.build({ width: 16, height: 16, channels: 3, resize: 'squash' }, { epochs: 1 });
      // Only a validation picture: nothing to learn from, which the trainer says in a sentence a person can act on.
      const job = {
        runId: 'no-training',
        spec,
        classNames: ['a', 'b'],
        items: [{ path: join(dataDir, 'none.png'), label: 0, split: 'validation' as const }],
        outDir: tempDir(),
      };
      const failure = await client
        .train(job, () => undefined)
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(TrainerError);
      expect(failureSentence(failure)).toEqual({
        message: 'There is no training image to learn from: give each class some images in the training split.',
        key: 'runs.train.noTrainingImage',
      });
      expect(sayIn('es', failureSentence(failure))).toBe(
        'No hay ninguna imagen de entrenamiento de la que aprender: dale a cada clase algunas imágenes en el conjunto de entrenamiento.',
      );
    } finally {
      await client.close();
    }
  });

  it('says why a file is not a picture, with what to do, in one keyed sentence', async () => {
    const next = (await callOrThrow(service, 'listRuns', { projectId })).find((r) => r.status === 'completed')!;
    const text = new TextEncoder().encode('this is not a picture at all');
    const refused = await service.call('predict', { projectId, runId: next.id, bytes: text });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', key: 'runs.use.unusable', params: { reason: expect.any(String) } },
    });
    if (!refused.ok) {
      // The importer's reason is a sentence inside this one: each language says both.
      const reason = readSaid(String(refused.error.params!['reason']));
      expect(refused.error.message).toBe(`${reason.message} Choose a JPEG, PNG, WebP, GIF, BMP or TIFF picture.`);
      const reasonInSpanish = reason.key ? sayIn('es', reason) : reason.message;
      expect(sayIn('es', refused.error)).toBe(`${reasonInSpanish} Elige una imagen JPEG, PNG, WebP, GIF, BMP o TIFF.`);
    }
    // A keyed reason inside: both said in Spanish, both in English in the message.
    const keyed = unusablePicture(said('runs.use.notRead'));
    expect(keyed.message).toBe('The picture could not be read. Choose a JPEG, PNG, WebP, GIF, BMP or TIFF picture.');
    expect(sayIn('es', keyed)).toBe('No se pudo leer la imagen. Elige una imagen JPEG, PNG, WebP, GIF, BMP o TIFF.');
    const folder = tempDir();
    writeFileSync(join(folder, 'notes.png'), text);
    const [row] = await callOrThrow(service, 'predictBatch', {
      projectId,
      runId: next.id,
      images: [{ file: 'notes.png', path: join(folder, 'notes.png') }],
    });
    expect(row).toMatchObject({ file: 'notes.png', probabilities: null, error: { message: expect.any(String) } });
  });
});

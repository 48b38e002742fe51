// Named specs through the real service on real project databases: save as, duplicate, select,
// rename, delete, and the selected one kept in step with the project's spec.
import { afterAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { DEFAULT_INPUT, PRESETS } from '../../common/model/presets';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

describe('named specs', () => {
  it('saves, duplicates, selects, renames and deletes, with the selected one training', async () => {
    const service = createCapaService({ dataDir: tempDir(), host: 'browser' });
    try {
      const project = await callOrThrow(service, 'createProject', { name: 'Specs' });
      const projectId = project.id;
      expect(await callOrThrow(service, 'listSpecs', { projectId })).toEqual({ specs: [], selectedId: null });

      // Saving the spec for the first time names it "Model 1" and selects it.
      const small = PRESETS.find((p) => p.id === 'small-cnn')!.build(DEFAULT_INPUT);
      await callOrThrow(service, 'saveSpec', { projectId, spec: small });
      const first = await callOrThrow(service, 'listSpecs', { projectId });
      expect(first.specs).toMatchObject([{ name: 'Model 1', preset: 'small-cnn', selected: true }]);

      const mlp = PRESETS.find((p) => p.id === 'mlp')!.build(DEFAULT_INPUT);
      const saved = await callOrThrow(service, 'saveSpecAs', { projectId, name: 'Dense only', spec: mlp });
      expect(saved).toMatchObject({ name: 'Dense only', preset: 'mlp', layerCount: 3, transfer: false, selected: true });
      expect((await callOrThrow(service, 'getSpec', { projectId })).preset).toBe('mlp');

      const copy = await callOrThrow(service, 'duplicateSpec', { projectId, specId: saved.id, name: 'Dense only, wider' });
      expect(copy).toMatchObject({ preset: 'mlp', selected: false });

      // Editing the selected spec changes it, not the copy.
      await callOrThrow(service, 'saveSpec', { projectId, spec: { ...mlp, training: { ...mlp.training, epochs: 3 } } });
      expect((await callOrThrow(service, 'selectSpec', { projectId, specId: copy.id })).training.epochs).toBe(mlp.training.epochs);
      expect((await callOrThrow(service, 'getSpec', { projectId })).training.epochs).toBe(mlp.training.epochs);
      expect((await callOrThrow(service, 'selectSpec', { projectId, specId: saved.id })).training.epochs).toBe(3);

      expect(await callOrThrow(service, 'renameSpec', { projectId, specId: copy.id, name: 'Wide' })).toMatchObject({ name: 'Wide' });
      const duplicateName = await service.call('renameSpec', { projectId, specId: copy.id, name: 'dense ONLY' });
      expect(duplicateName).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: 'A model named "dense ONLY" already exists; choose another name.' },
      });

      const deleteSelected = await service.call('deleteSpec', { projectId, specId: saved.id });
      expect(deleteSelected).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: expect.stringMatching(/select another model before deleting/) },
      });
      await callOrThrow(service, 'deleteSpec', { projectId, specId: copy.id });
      expect((await callOrThrow(service, 'listSpecs', { projectId })).specs.map((s) => s.name)).toEqual(['Model 1', 'Dense only']);

      const invalid = await service.call('saveSpecAs', {
        projectId,
        name: 'Broken',
        spec: { ...mlp, layers: [{ type: 'Dense', units: 0 }] },
      });
      expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-spec', issues: [{ path: ['layers', '0', 'units'] }] } });
      const missing = await service.call('selectSpec', { projectId, specId: 999 });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      await service.close();
    }
  });
});

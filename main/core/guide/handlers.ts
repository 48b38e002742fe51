// The first-run guide: a new project made from the sample pictures bundled in assets/sample, with
// a small network that trains in seconds on a CPU (the default preset needs a download).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { GuideOperations } from '../../../preload/contract-guide';
import { CapaError } from '../../../common/messages/errors';
import { entriesFromPaths, importEntries } from '../dataset/import-files';
import { said } from '../../../common/messages/said';
import { DEFAULT_INPUT, OFFLINE_PRESET_ID, presetById } from '../../../common/model/presets';
import { name, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

export const GUIDE_REQUESTS: SchemasOf<GuideOperations> = {
  importSample: z.object({ name }).strict(),
};

/**
 * Small pictures and few epochs: the guide's training should finish while the person watches, and
 * end with a model that clearly works (test/integration/guide-sample-quality.test.ts).
 */
const SAMPLE_INPUT = { ...DEFAULT_INPUT, width: 32, height: 32 };
const SAMPLE_TRAINING = { epochs: 20, batch_size: 16 };

/** The sample's folder among a packaged app's resources (electron-builder.yml extraResources copies assets/sample there). */
export const SAMPLE_RESOURCE_FOLDER = 'sample';

// Compiled, this file is out/main/core/guide/handlers.js; run from source (tests), main/core/guide/handlers.ts.
const SAMPLE_CANDIDATES = [
  join(__dirname, '..', '..', '..', 'assets', 'sample'),
  join(__dirname, '..', '..', '..', '..', 'assets', 'sample'),
];

/** The bundled sample folder: the host's (a packaged app's resources), else the source or build tree's. */
export function sampleFolder(configured?: string, candidates: readonly string[] = SAMPLE_CANDIDATES): string {
  const folder = [configured, ...candidates].find((candidate) => candidate !== undefined && existsSync(candidate));
  if (folder === undefined) throw new CapaError('not-found', said('errors.guide.sampleMissing'));
  return folder;
}

export function guideHandlers({ library, options }: ServiceContext): HandlersOf<GuideOperations> {
  return {
    importSample: async ({ name }) => {
      const folder = sampleFolder(options.sampleDir);
      const project = library.create(name);
      const report = await importEntries(project, await entriesFromPaths([folder]), { label: said('data.importer.sample') });
      const preset = presetById(OFFLINE_PRESET_ID)!;
      project.specs.saveCurrent(preset.build(SAMPLE_INPUT, SAMPLE_TRAINING));
      return { project: project.summary(), report };
    },
  };
}

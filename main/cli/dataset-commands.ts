// `capa export-data`, `capa export-project` and `capa import-project`: the data set as a
// folder-per-class tree (or zip) with dataset.csv, and whole projects as .capa archives.
import { cliError } from './format';
import { resolve } from 'node:path';
import type { ExportResult } from '../../preload/contract';
import { callOrThrow } from '../core/service/service';
import type { CapaService } from '../core/service/service-types';

export const DATASET_USAGE = `  export-data <project> [--format folder|zip]
                                        Write the images as a folder per class plus dataset.csv (file,class,split)
  export-project <project>              Write the whole project (images, classes, splits, specs, runs) as one .capa file
  import-project <file.capa>            Create a new project from a .capa file`;

const written = (result: ExportResult) => result.files.map((file) => resolve(result.directory, file)).join('\n');

/** Runs a dataset portability command; false when `command` is not one of them. */
export async function runDatasetCommand(
  service: CapaService,
  command: string | undefined,
  args: string[],
  format: string | undefined,
  projectId: (idOrName: string | undefined) => Promise<string>,
): Promise<boolean> {
  switch (command) {
    case 'export-data': {
      if (format !== undefined && format !== 'folder' && format !== 'zip') {
        throw cliError('invalid-argument', `--format for export-data is folder or zip. Received: ${format}`);
      }
      const result = await callOrThrow(service, 'exportDataset', { projectId: await projectId(args[0]), format: format ?? 'folder' });
      console.log(written(result));
      return true;
    }
    case 'export-project': {
      console.log(written(await callOrThrow(service, 'exportProject', { projectId: await projectId(args[0]) })));
      return true;
    }
    case 'import-project': {
      if (!args[0]) throw cliError('invalid-argument', 'Name the .capa file to import.');
      const project = await callOrThrow(service, 'importProject', { path: resolve(args[0]) });
      console.log(`Imported project "${project.name}" (${project.id}): ${project.imageCount} images, ${project.classCount} classes.`);
      return true;
    }
    default:
      return false;
  }
}

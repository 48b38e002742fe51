// The first-run guide's part of the contract: the bundled sample project. Types only, plus the names.
import type { ProjectSummary } from './contract-projects';
import type { ImportReport } from './contract-dataset';

/** What importing the sample made. */
export interface SampleProject {
  /** The new project, holding the sample pictures and a small network ready to train. */
  project: ProjectSummary;
  /** What the import of the bundled pictures did. */
  report: ImportReport;
}

/** Operations of the first-run guide. */
export interface GuideOperations {
  /** Creates a project named `name` from the sample pictures bundled with Capa, with a small fast network to train. */
  importSample: { request: { name: string }; response: SampleProject };
}

export const GUIDE_OPERATION_NAMES = ['importSample'] as const satisfies readonly (keyof GuideOperations)[];

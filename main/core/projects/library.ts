// All projects of an installation: one folder each under the data folder. A database per
// project (not one per installation) keeps a project self-contained, so it can be archived,
// moved or opened by the CLI while another project trains, and damage stays local.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectSummary } from '../../../preload/contract';
import { reclaimLeftovers } from './cleanup';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { Project } from './project';

/** A project id is a UUID; anything else never reaches the file system. */
const PROJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Longest project name, in characters (the request schemas use the same figure). */
export const MAX_NAME_LENGTH = 200;

/**
 * The one rule for a project's name, however it arrives (created, renamed, or read from an
 * imported archive's manifest): trimmed, not empty, at most MAX_NAME_LENGTH characters, no
 * control characters. Returns the name to store.
 */
export function projectName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed) throw new CapaError('invalid-argument', said('errors.library.nameMissing'));
  if (trimmed.length > MAX_NAME_LENGTH)
    throw new CapaError('invalid-argument', said('errors.context.nameTooLong', { maximum: MAX_NAME_LENGTH }));
  if (/[\x00-\x1f\x7f]/.test(trimmed)) throw new CapaError('invalid-argument', said('errors.hostile.nameControl'));
  return trimmed;
}

export class ProjectLibrary {
  private readonly open = new Map<string, Project>();

  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
  }

  /** Every project, newest first; a project that cannot be opened is skipped, not fatal. */
  list(): ProjectSummary[] {
    const summaries: ProjectSummary[] = [];
    for (const entry of readdirSync(this.dataDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !PROJECT_ID.test(entry.name)) continue;
      if (!existsSync(Project.databaseFile(join(this.dataDir, entry.name)))) continue;
      try {
        summaries.push(this.get(entry.name).summary());
      } catch {
        // A damaged or newer project is reported when someone opens it.
      }
    }
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  create(name: string): Project {
    const trimmed = projectName(name);
    const id = randomUUID();
    const dir = join(this.dataDir, id);
    mkdirSync(dir);
    const project = Project.create(dir, id, trimmed);
    this.open.set(id, project);
    return project;
  }

  /** Opens a project once and keeps it open; runs left running by a crash are marked interrupted and its leftovers reclaimed. */
  get(projectId: string): Project {
    const cached = this.open.get(projectId);
    if (cached) return cached;
    const dir = join(this.dataDir, projectId);
    if (!PROJECT_ID.test(projectId) || !existsSync(Project.databaseFile(dir))) {
      throw new CapaError('not-found', said('errors.library.noProject', { id: projectId }));
    }
    const project = Project.open(dir);
    project.runs.markInterrupted();
    reclaimLeftovers(project.dir, project.db);
    this.open.set(projectId, project);
    return project;
  }

  async delete(projectId: string): Promise<void> {
    const project = this.get(projectId);
    project.close();
    this.open.delete(projectId);
    await rm(project.dir, { recursive: true, force: true });
  }

  close(): void {
    for (const project of this.open.values()) project.close();
    this.open.clear();
  }
}

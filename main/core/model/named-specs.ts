// Named model specs of a project (migration 3): a person keeps several designs, duplicates one to
// try a change, and selects which one trains. `project.spec` stays the selected spec's copy, so
// training and the runs read one place; this repository keeps both in step and owns the SQL.
import { Repository } from '../db/statements';
import type { NamedSpecInfo, NamedSpecList } from '../../../preload/contract-model';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { parseSpec, type ModelSpec } from '../../../common/model/spec';
import { DEFAULT_INPUT, DEFAULT_PRESET_ID, presetById } from '../../../common/model/presets';

interface Row {
  id: number;
  name: string;
  spec: string;
  created_at: string;
  updated_at: string;
}

const now = () => new Date().toISOString();

export class NamedSpecs extends Repository {
  /** Whether a spec was ever saved (else training and the model screen use Auto's plan: ./auto.ts). */
  hasSaved(): boolean {
    const row = this.sql('SELECT spec FROM project').get() as { spec: string | null };
    return row.spec !== null && parseSpec(JSON.parse(row.spec)).ok;
  }

  /** The project's current spec, or the default preset where none was ever saved (Auto's plan needs the pictures: ./auto.ts). */
  current(): ModelSpec {
    const row = this.sql('SELECT spec FROM project').get() as { spec: string | null };
    if (row.spec) {
      const parsed = parseSpec(JSON.parse(row.spec));
      if (parsed.ok) return parsed.spec;
    }
    return presetById(DEFAULT_PRESET_ID)!.build(DEFAULT_INPUT);
  }

  /** Saves the project's current spec (saveSelected keeps the selected saved model in step). */
  saveCurrent(spec: ModelSpec): void {
    this.sql('UPDATE project SET spec = ?').run(JSON.stringify(spec));
  }

  private selectedId(): number | null {
    return (this.sql('SELECT spec_id FROM project').pluck().get() as number | null | undefined) ?? null;
  }

  private row(id: number): Row {
    const row = this.sql('SELECT * FROM specs WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new CapaError('not-found', said('errors.namedSpecs.missing', { id }));
    return row;
  }

  private info(row: Row, selectedId: number | null): NamedSpecInfo {
    const parsed = parseSpec(JSON.parse(row.spec));
    return {
      id: row.id,
      name: row.name,
      preset: parsed.ok ? parsed.spec.preset : 'custom',
      layerCount: parsed.ok ? parsed.spec.layers.length : 0,
      transfer: parsed.ok && parsed.spec.backbone !== undefined,
      selected: row.id === selectedId,
      updatedAt: row.updated_at,
    };
  }

  /** Every saved model, oldest first, and which one trains. */
  list(): NamedSpecList {
    const selectedId = this.selectedId();
    const rows = this.sql('SELECT * FROM specs ORDER BY id').all() as Row[];
    return { specs: rows.map((row) => this.info(row, selectedId)), selectedId };
  }

  private insert(name: string, spec: ModelSpec): number {
    const taken = this.sql('SELECT 1 FROM specs WHERE name = ? COLLATE NOCASE').get(name);
    if (taken) throw new CapaError('conflict', said('errors.namedSpecs.nameTaken', { name }));
    const time = now();
    return Number(
      this.sql('INSERT INTO specs (name, spec, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, JSON.stringify(spec), time, time)
        .lastInsertRowid,
    );
  }

  /** Selects a saved model: it becomes the project's spec; returns it. */
  select(id: number): ModelSpec {
    const parsed = parseSpec(JSON.parse(this.row(id).spec));
    if (!parsed.ok)
      throw new CapaError('invalid-spec', said('errors.namedSpecs.unreadable', { count: parsed.issues.length }), parsed.issues);
    this.db
      .transaction(() => {
        this.sql('UPDATE project SET spec_id = ?, spec = ?').run(id, JSON.stringify(parsed.spec));
      })
      .immediate();
    return parsed.spec;
  }

  /** Stores `spec` under a new name and selects it. */
  saveAs(name: string, spec: ModelSpec): NamedSpecInfo {
    const id = this.db
      .transaction(() => {
        const created = this.insert(name, spec);
        this.sql('UPDATE project SET spec_id = ?, spec = ?').run(created, JSON.stringify(spec));
        return created;
      })
      .immediate();
    return this.info(this.row(id), id);
  }

  /** Copies a saved model under a new name (not selected). */
  duplicate(id: number, name: string): NamedSpecInfo {
    const source = this.row(id);
    const parsed = parseSpec(JSON.parse(source.spec));
    if (!parsed.ok)
      throw new CapaError('invalid-spec', said('errors.namedSpecs.unreadable', { count: parsed.issues.length }), parsed.issues);
    const created = this.insert(name, parsed.spec);
    return this.info(this.row(created), this.selectedId());
  }

  rename(id: number, name: string): NamedSpecInfo {
    this.row(id);
    const taken = this.sql('SELECT 1 FROM specs WHERE name = ? COLLATE NOCASE AND id != ?').get(name, id);
    if (taken) throw new CapaError('conflict', said('errors.namedSpecs.nameTaken', { name }));
    this.sql('UPDATE specs SET name = ?, updated_at = ? WHERE id = ?').run(name, now(), id);
    return this.info(this.row(id), this.selectedId());
  }

  /** Deletes a saved model; the selected one cannot be deleted (select another first). */
  delete(id: number): void {
    this.row(id);
    if (this.selectedId() === id) throw new CapaError('conflict', said('errors.namedSpecs.deleteSelected'));
    this.sql('DELETE FROM specs WHERE id = ?').run(id);
  }

  /** Called when the project's spec is saved: keeps the selected saved model in step (or creates "Model 1"). */
  saveSelected(spec: ModelSpec): void {
    const selected = this.selectedId();
    if (selected === null) {
      let n = 1;
      while (this.sql('SELECT 1 FROM specs WHERE name = ? COLLATE NOCASE').get(`Model ${n}`)) n++;
      this.saveAs(`Model ${n}`, spec);
      return;
    }
    this.sql('UPDATE specs SET spec = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(spec), now(), selected);
  }
}

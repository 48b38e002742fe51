// A refused request names its field in a person's words: every field of every operation's request
// schema has a name in the core catalogue (found by walking the schemas, so a new field without one
// fails here), and the generic sentences say them in both languages.
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CORE_CATALOGUES, CORE_EN } from '../../common/messages/catalogue';
import { said } from '../../common/messages/said';
import { REQUEST_SCHEMAS } from '../../main/core/service/requests';
import { say, setLanguage } from '../../renderer/src/lib/i18n/i18n.svelte';

/** Every property name of an object schema, however deep (optional, nullable, arrays, unions). */
function fieldNames(schema: z.ZodType, into = new Set<string>()): Set<string> {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const inner = (value: unknown) => {
    if (value && typeof value === 'object' && '_zod' in value) fieldNames(value as z.ZodType, into);
  };
  if (def['type'] === 'object') {
    for (const [name, field] of Object.entries(def['shape'] as Record<string, z.ZodType>)) {
      into.add(name);
      fieldNames(field, into);
    }
  }
  for (const key of ['innerType', 'in', 'out', 'element']) inner(def[key]);
  for (const option of (def['options'] as unknown[] | undefined) ?? []) inner(option);
  return into;
}

describe('the fields of refused requests', () => {
  const fields = new Set<string>();
  for (const schema of Object.values(REQUEST_SCHEMAS)) fieldNames(schema, fields);

  it('are found in the schemas', () => {
    expect(fields).toContain('projectId');
    expect(fields).toContain('relativePath'); // inside importFiles' array of files
    expect(fields).toContain('bytes'); // inside the union of activations' picture
  });

  it('each have a name in both languages', () => {
    const named = CORE_EN.errors.request.field as Record<string, string>;
    expect([...fields].filter((field) => !Object.hasOwn(named, field))).toEqual([]);
    const spanish = CORE_CATALOGUES.es.errors.request.field as Record<string, string>;
    expect([...fields].filter((field) => !Object.hasOwn(spanish, field))).toEqual([]);
  });

  it('read as sentences with the field named, in English and Spanish (as the screen says them)', () => {
    const wrongKind = said('errors.request.wrongKind', { field: 'limit', expected: 'int' });
    expect(wrongKind.message).toBe('Number of pictures must be a whole number.');
    setLanguage('es');
    expect(say(wrongKind)).toBe('Número de imágenes: debe ser un número entero.');
    expect(say(said('errors.request.tooFew', { field: 'runIds', minimum: 2 }))).toBe('Entrenamientos: elige al menos 2.');
    setLanguage('en');
    expect(say(wrongKind)).toBe('Number of pictures must be a whole number.');
  });
});

// The renderer's say() on the runs' sentences: a plural key found through its count, a sentence
// inside another's values said in the same language, a default run name, and plain text as it is.
import { afterEach, describe, expect, it } from 'vitest';
import { nested, said } from '../../common/messages/said';
import { say, setLanguage } from '../../renderer/src/lib/i18n/i18n.svelte';
import { runName } from '../../renderer/src/lib/run-text';

afterEach(() => setLanguage('en'));

describe("say() on the runs' sentences", () => {
  it('finds a plural key through its count, in each language', () => {
    const backend = said('runs.backends.wasm', { features: 'XNNPACK, SIMD', count: 1 });
    expect(backend.message).toBe('WebAssembly (XNNPACK, SIMD, 1 thread)');
    expect(say(backend)).toBe('WebAssembly (XNNPACK, SIMD, 1 thread)');
    setLanguage('es');
    expect(say(backend)).toBe('WebAssembly (XNNPACK, SIMD, 1 hilo)');
    expect(say(said('runs.backends.wasm', { features: 'XNNPACK', count: 4 }))).toBe('WebAssembly (XNNPACK, 4 hilos)');
  });

  it('says a sentence inside another one in the same language', () => {
    const sentence = said('runs.use.unusable', { reason: nested(said('runs.use.notDecoded', { detail: 'VipsJpeg: premature end' })) });
    expect(sentence.message).toBe(
      'The picture could not be decoded (VipsJpeg: premature end). Choose a JPEG, PNG, WebP, GIF, BMP or TIFF picture.',
    );
    setLanguage('es');
    expect(say(sentence)).toBe(
      'No se pudo decodificar la imagen (VipsJpeg: premature end). Elige una imagen JPEG, PNG, WebP, GIF, BMP o TIFF.',
    );
    // Text without a key (a library's own) stays as it is inside the Spanish sentence.
    expect(say(said('runs.use.unusable', { reason: nested({ message: 'Bad file.' }) }))).toBe(
      'Bad file. Elige una imagen JPEG, PNG, WebP, GIF, BMP o TIFF.',
    );
  });

  it("says a default run name in the current language and a person's name as typed", () => {
    const given = said('runs.names.default', { n: 12 });
    expect(runName({ name: given.message, defaultName: given })).toBe('Run 12');
    setLanguage('es');
    expect(runName({ name: given.message, defaultName: given })).toBe('Entrenamiento 12');
    expect(runName({ name: 'Run 12', defaultName: null })).toBe('Run 12');
  });
});

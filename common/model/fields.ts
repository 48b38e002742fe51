// Building blocks of the spec schema. Every message echoes the value received and says what
// would work, as Keras's own errors do. Zod carries a message as text, so each one is a catalogue
// sentence stored as text (storeSaid) that parseSpec reads back with its key and values.
import { z } from 'zod';
import { zodSays, type CoreKey } from '../messages/said';

/** A value as the person wrote it, for "Received: …"; a long one (a whole object) is cut so the sentence stays readable. */
export const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** A positive integer field, e.g. "filters". */
export const positiveInt = (what: string) => {
  const error = (i: { input: unknown }) => zodSays('model.fields.positiveInt', { what, received: shown(i.input) });
  return z.number({ error }).int({ error }).positive({ error });
};

/** A number in [min, max] (or [min, max) when `below`), e.g. a dropout rate. */
export const numberIn = (what: string, min: number, max: number, below = false) => {
  const error = (i: { input: unknown }) =>
    zodSays(below ? 'model.fields.numberBelow' : 'model.fields.numberIn', { what, min, max, received: shown(i.input) });
  const base = z.number({ error }).min(min, { error });
  return below ? base.lt(max, { error }) : base.max(max, { error });
};

/** The fields that take one of a list of words, by their catalogue name ("resizeMode"...). */
type Tail<K> = K extends `model.fields.unknown.${infer W}` ? W : never;
export type WordField = Tail<CoreKey>;

/** One of a fixed list of words, with the list in the message ("Unknown resize mode…" names what the field is). */
export const oneOf = <const T extends readonly [string, ...string[]]>(what: WordField, values: T) =>
  z.enum(values, { error: (i) => unknownWord(what, i.input, values) });

/** The message for a word that is not on the list. */
export const unknownWord = (what: WordField, received: unknown, values: readonly string[]): string =>
  zodSays(`model.fields.unknown.${what}`, { received: shown(received), choices: values.join(', ') });

/** A pair like Keras's `kernel_size=(3, 3)`; a single number means a square. */
export const pair = (what: string) =>
  z.union([positiveInt(what), z.tuple([positiveInt(what), positiveInt(what)])], {
    error: (i) => zodSays('model.fields.pair', { what, received: shown(i.input) }),
  });

/** Normalises a Keras pair (`3` or `[3, 3]`) to `[h, w]`. */
export function asPair(value: number | readonly [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

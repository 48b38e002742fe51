// Building blocks of the spec schema. Every message echoes the value received and says what
// would work, as Keras's own errors do.
import { z } from 'zod';

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** A positive integer field, e.g. "filters". */
export const positiveInt = (what: string) => {
  const error = (i: { input: unknown }) => `Expected a positive integer for "${what}". Received: ${shown(i.input)}`;
  return z.number({ error }).int({ error }).positive({ error });
};

/** A number in [min, max] (or [min, max) when `below`), e.g. a dropout rate. */
export const numberIn = (what: string, min: number, max: number, below = false) => {
  const error = (i: { input: unknown }) =>
    `Expected a number from ${min} to ${below ? 'below ' : ''}${max} for "${what}". Received: ${shown(i.input)}`;
  const base = z.number({ error }).min(min, { error });
  return below ? base.lt(max, { error }) : base.max(max, { error });
};

/** One of a fixed list of words, with the list in the message. */
export const oneOf = <const T extends readonly [string, ...string[]]>(what: string, values: T) =>
  z.enum(values, { error: (i) => `Unknown ${what} ${shown(i.input)}. Use one of: ${values.join(', ')}.` });

/** A pair like Keras's `kernel_size=(3, 3)`; a single number means a square. */
export const pair = (what: string) => z.union([positiveInt(what), z.tuple([positiveInt(what), positiveInt(what)])], {
  error: (i) => `Expected a positive integer or a pair of them for "${what}". Received: ${shown(i.input)}`,
});

/** Normalises a Keras pair (`3` or `[3, 3]`) to `[h, w]`. */
export function asPair(value: number | readonly [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

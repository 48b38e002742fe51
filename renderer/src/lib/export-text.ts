// The words for an export format: the core names and describes each format in English; the
// catalogue says it in the interface's language, and a format it does not know yet keeps the core's words.
import type { ExportFormatInfo } from '../../../preload/contract';
import { tOr } from './i18n/i18n.svelte';

/** "TensorFlow Lite, int8 weights" / "TensorFlow Lite, pesos int8"; names such as "ONNX" are the same in every language. */
export const formatTitle = (info: ExportFormatInfo): string => tOr(`export.formats.${info.format}.title`, info.title);

/** What the format is for, in a sentence. */
export const formatPurpose = (info: ExportFormatInfo): string => tOr(`export.formats.${info.format}.purpose`, info.purpose);

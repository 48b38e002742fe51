// Text rendering of a summary, laid out like Keras's `model.summary()`.
import type { ErrorCode } from '../../preload/contract';
import { CapaError } from '../../common/messages/errors';
import type { SpecIssue } from '../../common/model/spec';
import type { ModelSummary } from '../../common/model/summary';

/** Seconds as "42 s", "3 min 5 s" or "1 h 2 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const formatShape = (shape: readonly number[]): string => `(None, ${shape.join(', ')})`;

export function formatSummary(summary: ModelSummary): string {
  if (summary.issues.length > 0) {
    return ['The model cannot be built:', ...summary.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)].join('\n');
  }
  const rows = summary.rows.map((r) => [`${r.name} (${r.type})`, formatShape(r.outputShape), r.params.toLocaleString('en-US')]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('')
      .trimEnd();
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0));
  return [
    rule('━'),
    line(header),
    rule('━'),
    ...rows.flatMap((r, i) => (i === 0 ? [line(r)] : [rule('─'), line(r)])),
    rule('━'),
    ` Total params: ${summary.totalParams.toLocaleString('en-US')}`,
    ` Trainable params: ${summary.trainableParams.toLocaleString('en-US')}`,
    ` Non-trainable params: ${summary.nonTrainableParams.toLocaleString('en-US')}`,
  ].join('\n');
}

/** An error of the command line itself: the CLI speaks English only, so its sentence has no catalogue key. */
export function cliError(code: ErrorCode, text: string, issues?: SpecIssue[]): CapaError {
  return new CapaError(code, { message: text }, issues);
}

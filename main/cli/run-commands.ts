// `capa train`'s progress and `capa runs ...`: the runs table from the command line (list,
// rename, star, delete, resume, compare), with runs named by id, id prefix or name.
import { cliError, formatDuration } from './format';
import { Progress, timeLeft } from './progress';
import type { RunEvent, RunInfo } from '../../preload/contract';
import { callOrThrow } from '../core/service/service';
import type { CapaService } from '../core/service/service-types';

export const RUNS_USAGE = `  runs <project>                        List runs (starred first, then newest)
  runs rename <project> <run> <name>    Rename a run (<run> is its name, id or the start of its id)
  runs star|unstar <project> <run>      Star a run, or take its star away
  runs delete <project> <run>           Delete a run with its weights and files
  runs resume <project> <run>           Continue an interrupted or stopped run from its last finished epoch
  runs compare <project> <run> <run>... Compare runs: results side by side and the settings that differ`;

const SUBCOMMANDS = new Set(['list', 'rename', 'star', 'unstar', 'delete', 'resume', 'compare']);

const percent = (value: number | null | undefined): string => (value == null ? '-' : `${(value * 100).toFixed(1)}%`);

/** Lays out rows as columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function runRow(run: RunInfo): string[] {
  const accuracies = run.epochs.flatMap((e) => (e.valAccuracy === null ? [] : [e.valAccuracy]));
  return [
    run.starred ? '*' : '',
    run.name,
    run.status,
    percent(accuracies.length ? Math.max(...accuracies) : null),
    run.epochs.at(-1)?.loss.toFixed(4) ?? '-',
    `${run.epochs.length}/${run.spec.training.epochs}`,
    formatDuration(run.durationSeconds),
    run.backend?.name ?? '-',
    run.spec.preset,
    run.createdAt.slice(0, 16).replace('T', ' '),
    run.id.slice(0, 8),
  ];
}

const RUN_HEADER = ['', 'Name', 'Status', 'Best val. acc.', 'Final loss', 'Epochs', 'Duration', 'Backend', 'Preset', 'Created (UTC)', 'Id'];

/** A run by exact id, exact name (any case) or the start of its id. */
async function findRun(service: CapaService, projectId: string, ref: string | undefined): Promise<RunInfo> {
  if (!ref) throw cliError('invalid-argument', 'Name the run (its name, id or the start of its id). See "capa runs <project>".');
  const runs = await callOrThrow(service, 'listRuns', { projectId });
  const exact = runs.filter((r) => r.id === ref || r.name.toLowerCase() === ref.toLowerCase());
  const matches = exact.length > 0 ? exact : ref.length >= 4 ? runs.filter((r) => r.id.startsWith(ref)) : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw cliError('conflict', `Several runs match "${ref}"; use more of the id. See "capa runs <project>".`);
  throw cliError('not-found', `There is no run "${ref}" in this project. See "capa runs <project>".`);
}

/** Prints a run's events until it ends; returns the run as stored then. */
export async function followRun(
  service: CapaService,
  projectId: string,
  start: () => Promise<RunInfo>,
  progress = new Progress({ tty: process.stdout.isTTY === true, quiet: false }),
): Promise<RunInfo> {
  const events: RunEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = service.onRunEvent((event) => {
    events.push(event);
    wake?.();
  });
  try {
    const run = await start();
    console.log(
      `Run ${run.id} ("${run.name}"): ${run.classNames.length} classes (${run.classNames.join(', ')}), ${run.spec.training.epochs} epochs`,
    );
    for (;;) {
      const event = events.shift();
      if (!event) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (event.runId !== run.id) continue;
      if (event.kind === 'progress') {
        // Time left: this epoch's remaining pictures and the epochs after it, at this epoch's rate.
        const left = (event.batches - event.batch + (event.epochs - event.epoch) * event.batches) * run.spec.training.batch_size;
        const detail = [
          `loss ${event.loss.toFixed(4)}`,
          `${Math.round(event.imagesPerSecond)} pictures/s`,
          timeLeft(left, event.imagesPerSecond),
        ]
          .filter(Boolean)
          .join(', ');
        progress.update(`Epoch ${event.epoch}/${event.epochs} batch`, event.batch, event.batches, detail);
        continue;
      }
      progress.clear();
      if (event.kind === 'started') {
        // The engine and device, then why each faster engine was skipped, one line each.
        console.log(
          `Engine: ${event.backend.name} = ${event.backend.description}; ${event.trainCount} training and ${event.validationCount} validation images`,
        );
        for (const reason of event.backend.fallbacks) console.log(`  skipped ${reason}`);
      }
      if (event.kind === 'log') console.log(event.message);
      if (event.kind === 'epoch') {
        const m = event.metrics;
        const validation = m.valLoss === null ? '' : ` - val_loss: ${m.valLoss.toFixed(4)} - val_accuracy: ${m.valAccuracy!.toFixed(4)}`;
        console.log(
          `Epoch ${m.epoch}/${event.epochs} - ${m.seconds.toFixed(1)}s - loss: ${m.loss.toFixed(4)} - accuracy: ${m.accuracy.toFixed(4)}${validation}`,
        );
      }
      if (event.kind === 'done') {
        if (event.status === 'failed') throw cliError('trainer', `Training failed: ${event.error?.message ?? 'unknown error'}`);
        if (event.status === 'interrupted')
          throw cliError(
            'trainer',
            `${event.error?.message ?? 'Training was interrupted.'} From the command line: capa runs resume <project> ${run.id.slice(0, 8)}`,
          );
        return callOrThrow(service, 'getRun', { projectId, runId: run.id });
      }
    }
  } finally {
    unsubscribe();
  }
}

function printComparison(runs: RunInfo[], settings: { path: string; values: (string | null)[]; differs: boolean }[]): void {
  console.log(table(RUN_HEADER, runs.map(runRow)));
  const differing = settings.filter((s) => s.differs);
  console.log('');
  if (differing.length === 0) console.log('Their settings are all the same.');
  else
    console.log(
      table(
        ['Setting that differs', ...runs.map((r) => r.name)],
        differing.map((s) => [s.path, ...s.values.map((v) => v ?? '(none)')]),
      ),
    );
  console.log(`${settings.length - differing.length} other settings are the same in every run.`);
  const longest = Math.max(...runs.map((r) => r.epochs.length));
  if (longest === 0) return;
  console.log('');
  const cell = (run: RunInfo, epoch: number) => {
    const m = run.epochs.find((e) => e.epoch === epoch);
    return m ? `${m.loss.toFixed(3)} / ${m.valLoss?.toFixed(3) ?? '-'}` : '';
  };
  console.log(
    table(
      ['Epoch: loss / val. loss', ...runs.map((r) => r.name)],
      Array.from({ length: longest }, (_, i) => [String(i + 1), ...runs.map((r) => cell(r, i + 1))]),
    ),
  );
}

/** Runs `capa runs ...`; `args` follow "runs". */
export async function runRunsCommand(
  service: CapaService,
  args: string[],
  projectId: (idOrName: string | undefined) => Promise<string>,
): Promise<void> {
  const sub = args[0] !== undefined && SUBCOMMANDS.has(args[0]) && args.length > 1 ? args[0] : 'list';
  const rest = sub === 'list' && args[0] !== 'list' ? args : args.slice(1);
  const id = await projectId(rest[0]);
  switch (sub) {
    case 'list': {
      const runs = await callOrThrow(service, 'listRuns', { projectId: id });
      if (runs.length === 0) return void console.log('No runs yet. Train one with: capa train <project>');
      const ordered = [...runs].sort((a, b) => Number(b.starred) - Number(a.starred));
      console.log(table(RUN_HEADER, ordered.map(runRow)));
      return;
    }
    case 'rename': {
      const run = await findRun(service, id, rest[1]);
      const renamed = await callOrThrow(service, 'renameRun', { projectId: id, runId: run.id, name: rest.slice(2).join(' ') });
      return void console.log(`Renamed "${run.name}" to "${renamed.name}".`);
    }
    case 'star':
    case 'unstar': {
      const run = await findRun(service, id, rest[1]);
      await callOrThrow(service, 'starRun', { projectId: id, runId: run.id, starred: sub === 'star' });
      return void console.log(sub === 'star' ? `Starred "${run.name}".` : `Took the star from "${run.name}".`);
    }
    case 'delete': {
      const run = await findRun(service, id, rest[1]);
      await callOrThrow(service, 'deleteRun', { projectId: id, runId: run.id });
      return void console.log(`Deleted "${run.name}" and its files.`);
    }
    case 'resume': {
      const run = await findRun(service, id, rest[1]);
      const done = await followRun(service, id, () => callOrThrow(service, 'resumeRun', { projectId: id, runId: run.id }));
      return void console.log(`"${done.name}" ${done.status} after ${done.epochs.length} epochs.`);
    }
    case 'compare': {
      const runIds = [];
      for (const ref of rest.slice(1)) runIds.push((await findRun(service, id, ref)).id);
      const comparison = await callOrThrow(service, 'compareRuns', { projectId: id, runIds });
      return printComparison(comparison.runs, comparison.settings);
    }
  }
}

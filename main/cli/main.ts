#!/usr/bin/env node
// `capa …`: the core, headless. Same service as the app, so a project made here opens there.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EXPORT_FORMATS,
  type EvaluationSplit,
  type EvaluationWeights,
  type ExportFormat,
  type ExportQuantization,
  type ExportWeights,
  type RunInfo,
  type Split,
} from '../../preload/contract';
import { defaultDataDir } from '../core/settings/data-dir';
import { CapaError } from '../../common/messages/errors';
import { said } from '../../common/messages/said';
import { callOrThrow, createCapaService } from '../core/service/service';
import type { CapaService } from '../core/service/service-types';
import { OFFLINE_PRESET_ID, presetById, presetInput, PRESETS } from '../../common/model/presets';
import { kerasCode } from '../../common/model/keras-code';
import { AUTO_PRESET_ID, trainingToKeep, type ModelPlan } from '../../common/model/auto-plan';
import { OPTIMIZERS, type ModelSpec } from '../../common/model/spec';
import { DATASET_USAGE, runDatasetCommand } from './dataset-commands';
import { EVALUATE_USAGE, evaluateCommand } from './evaluate-command';
import { cliError, formatDuration, formatSummary } from './format';
import { Progress } from './progress';
import { hasUsableWeights, unfinished } from '../../common/runs/usable';
import { followRun, runRunsCommand, RUNS_USAGE } from './run-commands';
import { predictCommand, PREDICT_USAGE } from './predict-command';

const USAGE = `Usage: capa <command> [options]   (from a checkout: npm run capa -- <command> ...)

Commands:
  projects                              List projects
  create <name>                         Create a project
  import <project> <path>...            Import files or folders (sub-folders become classes)
        [--class NAME]                  Put loose files in this class
        [--split train|validation|test] Pin everything imported to this split (e.g. a separate test folder)
${DATASET_USAGE}
  spec <project>                        Show (and change) the model and print its Keras-style summary
        [--preset auto|${PRESETS.map((p) => p.id).join('|')}] [--size N] [--channels 1|3] [--file spec.json]
        [--epochs N] [--batch-size N] [--learning-rate X] [--optimizer ${OPTIMIZERS.join('|')}] [--seed N]
        [--keras] (print the model as a Keras Python script)
  plan <project> [--minutes N]          Print Auto's plan for the pictures on this computer, with why and how long, without training
  train <project> [same options as spec] Train and print each epoch; with no option a project that never saved a spec trains Auto's plan
        [--minutes N]                   At most N minutes: training ends at an epoch boundary with the best weights kept
        [--quiet]                       No progress bar or progress lines
  backbones [list]                      List the pretrained networks and whether each is on this computer
  backbones download <id>               Download one
  backbones import <folder> [--id ID]   Import a TensorFlow.js model folder (computers without internet); --id makes it stand in for a listed one
${RUNS_USAGE}
${PREDICT_USAGE}
  export <project> [--run ID] [--format ${EXPORT_FORMATS.join('|')}|all]
        [--weights best|last] [--quantize none|float16|uint8] [--out DIR]
                                        Export a run's model (default: every format it can be written to)
${EVALUATE_USAGE}

<project> is a project's name or id. Options for all: --data-dir DIR (default: CAPA_DATA_DIR or the app's folder).`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  class: { type: 'string' },
  split: { type: 'string' },
  preset: { type: 'string' },
  size: { type: 'string' },
  channels: { type: 'string' },
  file: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'learning-rate': { type: 'string' },
  optimizer: { type: 'string' },
  keras: { type: 'boolean' },
  seed: { type: 'string' },
  run: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  weights: { type: 'string' },
  quantize: { type: 'string' },
  csv: { type: 'string' },
  minutes: { type: 'string' },
  id: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function number(
  values: Values,
  name: 'size' | 'channels' | 'epochs' | 'batch-size' | 'learning-rate' | 'seed' | 'minutes',
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw cliError('invalid-argument', `--${name} expects a number. Received: ${raw}`);
  return value;
}

async function projectId(service: CapaService, idOrName: string | undefined): Promise<string> {
  if (!idOrName) throw cliError('invalid-argument', 'Name the project (its name or id). See "capa projects".');
  const projects = await callOrThrow(service, 'listProjects', {});
  const matches = projects.filter((p) => p.id === idOrName || p.name === idOrName);
  if (matches.length === 1) return matches[0]!.id;
  throw cliError(
    matches.length ? 'conflict' : 'not-found',
    matches.length ? `Several projects are named "${idOrName}"; use its id.` : `There is no project "${idOrName}". See "capa projects".`,
  );
}

/** Applies --preset, --file and the training options to the project's spec, saves it, returns it. */
async function applySpecOptions(service: CapaService, id: string, values: Values): Promise<ModelSpec> {
  let spec: ModelSpec = await callOrThrow(service, 'getSpec', { projectId: id });
  if (values.file) spec = JSON.parse(await readFile(values.file, 'utf8')) as ModelSpec;
  const size = number(values, 'size');
  const channels = number(values, 'channels');
  const minutes = number(values, 'minutes');
  if (values.preset === AUTO_PRESET_ID)
    spec = (await callOrThrow(service, 'planModel', { projectId: id, ...(minutes !== undefined ? { budgetMinutes: minutes } : {}) })).spec;
  const preset = values.preset === undefined || values.preset === AUTO_PRESET_ID ? undefined : presetById(values.preset);
  if (values.preset !== undefined && values.preset !== AUTO_PRESET_ID && !preset) {
    throw cliError(
      'invalid-argument',
      `Unknown preset "${values.preset}". Use one of: ${[AUTO_PRESET_ID, ...PRESETS.map((p) => p.id)].join(', ')}.`,
    );
  }
  const patch = { ...(size ? { width: size, height: size } : {}), ...(channels ? { channels: channels as 1 | 3 } : {}) };
  // A preset may set its own input (transfer learning takes its backbone's); the options apply on top.
  if (preset) spec = preset.build({ ...presetInput(spec), ...patch }, trainingToKeep(spec));
  const input = { ...spec.input, ...patch };
  spec = {
    ...spec,
    input,
    training: {
      ...spec.training,
      ...(number(values, 'epochs') !== undefined ? { epochs: number(values, 'epochs')! } : {}),
      ...(number(values, 'batch-size') !== undefined ? { batch_size: number(values, 'batch-size')! } : {}),
      ...(number(values, 'learning-rate') !== undefined ? { learning_rate: number(values, 'learning-rate')! } : {}),
      // Checked by the spec schema in saveSpec, which names the optimizers it accepts.
      ...(values.optimizer !== undefined ? { optimizer: values.optimizer as ModelSpec['training']['optimizer'] } : {}),
      ...(number(values, 'seed') !== undefined ? { seed: number(values, 'seed')! } : {}),
      ...(minutes !== undefined ? { time_budget_minutes: minutes } : {}),
    },
  };
  return callOrThrow(service, 'saveSpec', { projectId: id, spec });
}

/** The options of "spec" and "train" that change the spec (and save it). */
const SPEC_OPTIONS = [
  'preset',
  'size',
  'channels',
  'file',
  'epochs',
  'batch-size',
  'learning-rate',
  'optimizer',
  'seed',
  'minutes',
] as const;

/** Auto's plan: why each choice, the layers, and how long. */
function printPlan(plan: ModelPlan): void {
  console.log("Auto's plan:");
  for (const reason of plan.reasons) console.log(`  - ${reason.message}`);
  if (plan.suggestDownload)
    console.log(`  Download ${plan.suggestDownload.title} for photos: capa backbones download ${plan.suggestDownload.id}`);
  const { input } = plan.spec;
  console.log(
    `  Input ${input.width}x${input.height}x${input.channels}${plan.spec.backbone ? `, backbone ${plan.spec.backbone.id}` : ''}; layers: ${plan.spec.layers.map((l) => l.type).join(', ')}`,
  );
  console.log(
    `Estimate: ${plan.estimate.sentence.message}${plan.estimate.source === 'guess' ? ` (${said('model.auto.guessed').message})` : ''}`,
  );
}

async function pickRun(service: CapaService, id: string, runId: string | undefined): Promise<RunInfo> {
  if (runId) return callOrThrow(service, 'getRun', { projectId: id, runId });
  const runs = await callOrThrow(service, 'listRuns', { projectId: id });
  const run = runs.find(hasUsableWeights);
  if (!run) throw cliError('not-found', 'This project has no run with saved weights yet. Train one with "capa train".');
  if (unfinished(run))
    console.log(
      `Using run ${run.id.slice(0, 8)} ("${run.name}"), ${run.status}: the best weights it saved, of epoch ${run.bestEpoch ?? '-'}.`,
    );
  return run;
}

/** Starts a run; a missing backbone's message also says how to train without it from here. */
async function startRun(service: CapaService, id: string, typed: string): Promise<RunInfo> {
  try {
    return await callOrThrow(service, 'startRun', { projectId: id });
  } catch (error) {
    if (!(error instanceof CapaError) || error.code !== 'not-found' || !(await callOrThrow(service, 'getSpec', { projectId: id })).backbone)
      throw error;
    throw cliError(
      error.code,
      `${error.message} From the command line: capa train "${typed}" --preset ${OFFLINE_PRESET_ID}.`,
      error.issues,
    );
  }
}

async function run(service: CapaService, command: string | undefined, args: string[], values: Values): Promise<void> {
  switch (command) {
    case 'projects': {
      const projects = await callOrThrow(service, 'listProjects', {});
      if (projects.length === 0) console.log('No projects yet. Create one with: capa create <name>');
      for (const p of projects) console.log(`${p.id}  ${p.name}  (${p.imageCount} images, ${p.classCount} classes)`);
      return;
    }
    case 'create': {
      const project = await callOrThrow(service, 'createProject', { name: args.join(' ') });
      console.log(`Created project "${project.name}" (${project.id})`);
      return;
    }
    case 'import': {
      const id = await projectId(service, args[0]);
      const paths = args.slice(1).map((p) => resolve(p));
      if (paths.length === 0) throw cliError('invalid-argument', 'Name at least one file or folder to import.');
      let classId: number | null = null;
      if (values.class) {
        const dataset = await callOrThrow(service, 'getDataset', { projectId: id });
        classId =
          dataset.classes.find((c) => c.name === values.class)?.id ??
          (await callOrThrow(service, 'createClass', { projectId: id, name: values.class })).id;
      }
      // An unknown split reaches the service, whose validation names the choices.
      const split = values.split as Split | undefined;
      const report = await callOrThrow(service, 'importPaths', { projectId: id, paths, classId, ...(split ? { split } : {}) });
      console.log(
        `Imported ${report.imported} images${report.classesCreated.length ? `; new classes: ${report.classesCreated.join(', ')}` : ''}.`,
      );
      if (report.duplicates.length) console.log(`${report.duplicates.length} duplicates skipped (already in the project).`);
      for (const r of report.rejected) console.log(`Skipped ${r.file}: ${r.message}`);
      return;
    }
    case 'spec': {
      const id = await projectId(service, args[0]);
      const spec = await applySpecOptions(service, id, values);
      if (values.keras) {
        const classes = (await callOrThrow(service, 'getDataset', { projectId: id })).classes.map((c) => c.name);
        console.log(kerasCode(spec, classes));
        return;
      }
      const summary = await callOrThrow(service, 'summarizeSpec', { projectId: id, spec });
      console.log(formatSummary(summary));
      console.log(
        `Multiply-adds per image: ${summary.multiplyAdds.toLocaleString('en-US')}; weights ${(summary.weightBytes / 2 ** 20).toFixed(2)} MB`,
      );
      console.log(
        `Training: ${spec.training.optimizer}, learning rate ${spec.training.learning_rate}, ${spec.training.epochs} epochs, batch size ${spec.training.batch_size}, seed ${spec.training.seed}`,
      );
      return;
    }
    case 'plan': {
      const id = await projectId(service, args[0]);
      const minutes = number(values, 'minutes');
      printPlan(await callOrThrow(service, 'planModel', { projectId: id, ...(minutes !== undefined ? { budgetMinutes: minutes } : {}) }));
      if ((await callOrThrow(service, 'listSpecs', { projectId: id })).selectedId !== null) {
        console.log(`This project trains its saved spec; to train this plan instead: capa train "${args[0]!}" --preset ${AUTO_PRESET_ID}`);
      }
      return;
    }
    case 'train': {
      const id = await projectId(service, args[0]);
      const changes = SPEC_OPTIONS.some((name) => values[name] !== undefined);
      const saved = (await callOrThrow(service, 'listSpecs', { projectId: id })).selectedId !== null;
      if (changes) await applySpecOptions(service, id, values);
      // A project that never saved a spec trains Auto's plan, planned again from its pictures now.
      if (!changes && !saved) printPlan(await callOrThrow(service, 'planModel', { projectId: id }));
      else {
        const spec = await callOrThrow(service, 'getSpec', { projectId: id });
        console.log(`Estimate: ${(await callOrThrow(service, 'estimateSpec', { projectId: id, spec })).sentence.message}`);
      }
      const progress = new Progress({ tty: process.stdout.isTTY === true, quiet: values.quiet === true });
      const done = await followRun(service, id, () => startRun(service, id, args[0]!), progress);
      const best = done.epochs.find((e) => e.epoch === done.bestEpoch);
      const took = done.estimate
        ? `; took ${formatDuration(done.durationSeconds)} (estimated ${formatDuration(done.estimate.seconds)})`
        : '';
      console.log(
        `Run ${done.id} ${done.status}${best?.valAccuracy != null ? `; best validation accuracy ${(best.valAccuracy * 100).toFixed(1)}% (epoch ${best.epoch})` : ''}${took}.`,
      );
      return;
    }
    case 'backbones': {
      const sub = args[0] ?? 'list';
      if (sub === 'download') {
        const info = await callOrThrow(service, 'downloadBackbone', { id: args[1] ?? '' });
        console.log(`${info.title}: ${info.state}`);
      } else if (sub === 'import') {
        if (!args[1]) throw cliError('invalid-argument', 'Name the folder of a TensorFlow.js model (model.json and its weight files).');
        const info = await callOrThrow(service, 'importBackbone', { path: resolve(args[1]), ...(values.id ? { id: values.id } : {}) });
        console.log(`Imported ${info.title} (${info.id}).`);
      } else {
        for (const b of await callOrThrow(service, 'listBackbones', {}))
          console.log(`${b.id}  ${b.title}  ${b.state}  ${(b.sizeBytes / 2 ** 20).toFixed(0)} MB  ${b.inputSize} px`);
      }
      return;
    }
    case 'runs':
      return runRunsCommand(service, args, (idOrName) => projectId(service, idOrName));
    case 'predict': {
      const id = await projectId(service, args[0]);
      return predictCommand(service, id, await pickRun(service, id, values.run), args.slice(1), values.csv);
    }
    case 'export': {
      const id = await projectId(service, args[0]);
      const chosen = await pickRun(service, id, values.run);
      const choices = await callOrThrow(service, 'exportChoices', { projectId: id, runId: chosen.id });
      const wanted =
        values.format === undefined || values.format === 'all' ? choices.formats.map((f) => f.format) : [values.format as ExportFormat];
      for (const format of wanted) {
        const info = choices.formats.find((f) => f.format === format);
        if (info && !info.available) {
          console.log(`${info.title.message}: skipped. ${info.reason?.message ?? ''}`);
          continue;
        }
        // Unknown formats, weights or quantisation reach the service, whose validation names the choices.
        const result = await callOrThrow(service, 'exportRun', {
          projectId: id,
          runId: chosen.id,
          format,
          ...(values.weights ? { weights: values.weights as ExportWeights } : {}),
          ...(values.quantize && format === 'tfjs' ? { quantization: values.quantize as ExportQuantization } : {}),
          ...(values.out ? { directory: resolve(values.out) } : {}),
        });
        const change = result.accuracy
          ? `; held-out accuracy ${(result.accuracy.original * 100).toFixed(1)}% -> ${(result.accuracy.exported * 100).toFixed(1)}% on ${result.accuracy.images} images`
          : '';
        console.log(
          `${info?.title.message ?? format}: ${result.directory} (${result.files.join(', ')}; ${(result.bytes / 1024).toFixed(0)} KiB${change})`,
        );
      }
      return;
    }
    case 'evaluate': {
      const id = await projectId(service, args[0]);
      const chosen = await pickRun(service, id, values.run);
      // An unknown split or weights reaches the service, whose validation names the choices.
      await evaluateCommand(
        service,
        id,
        chosen.id,
        (values.split ?? 'test') as EvaluationSplit,
        (values.weights ?? 'best') as EvaluationWeights,
      );
      return;
    }
    default:
      if (await runDatasetCommand(service, command, args, values.format, (idOrName) => projectId(service, idOrName))) return;
      console.log(USAGE);
      if (command !== undefined && command !== 'help') throw cliError('invalid-argument', `Unknown command "${command}".`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: OPTIONS, allowPositionals: true });
  if (values.help) return void console.log(USAGE);
  const service = createCapaService({ dataDir: values['data-dir'] ?? defaultDataDir(), host: 'browser' });
  try {
    await run(service, positionals[0], positionals.slice(1), values);
  } finally {
    await service.close();
  }
}

main().catch((error: unknown) => {
  console.error(`capa: ${error instanceof Error ? error.message : String(error)}`);
  // A spec's or a request's problems, one per line with the field they concern: the sentence above counts them.
  if (error instanceof CapaError) for (const issue of error.issues ?? []) console.error(`  ${issue.path.join('.')}: ${issue.message}`);
  process.exitCode = 1;
});

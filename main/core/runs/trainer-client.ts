// Main's side of the training process: starts it lazily, numbers requests, routes replies and run
// events, and turns a process that dies into errors a person understands. The next call after a
// death starts a fresh process. No electron or TensorFlow import: core runs under plain Node too.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { BackendInfo, LayerActivations, RunEvent, Said } from '../../../preload/contract';
import { said } from '../../../common/messages/said';
import type { InputSpec } from '../../../common/model/spec';
import type {
  ExplainResult,
  ImageSource,
  PredictOutcome,
  TrainerBackbone,
  TrainerMessage,
  TrainerPort,
  TrainerReplies,
  TrainerRequest,
  TrainJob,
  TrainResult,
  WithoutSeq,
} from '../../trainer/protocol';

/** Starts the trainer with child_process.fork (plain Node: CLI, browser host, tests). */
export function forkTrainerPort(): TrainerPort {
  // Under vitest this file runs from TypeScript source; the compiled entry does not exist there.
  const fromSource = __filename.endsWith('.ts');
  const entry = join(__dirname, '..', '..', 'trainer', fromSource ? 'main.ts' : 'main.js');
  const child = fork(entry, [], {
    serialization: 'advanced', // structured clone: Uint8Array image bytes cross as they are
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as TrainerMessage)),
    onExit: (listener) => child.once('exit', (code, signal) => listener(code ?? (signal ? signalExitCode(signal) : null))),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

/** A process killed by a signal has no exit code; report the signal's number, as utilityProcess does. */
function signalExitCode(signal: NodeJS.Signals): number | null {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6, SIGINT: 2 };
  return numbers[signal] ?? null;
}

/** An error reported by the trainer, rebuilt on this side with the trainer's stack (and its sentence, when it made one for a person). */
export class TrainerError extends Error {
  constructor(
    name: string,
    message: string,
    stack?: string,
    readonly said?: Said,
  ) {
    super(message);
    this.name = name === 'Error' ? 'TrainerError' : name;
    if (stack) this.stack = `${this.name}: ${message}\n    (trainer process)\n${stack.split('\n').slice(1).join('\n')}`;
  }
}

/** Whether an exit code says the process was killed (SIGKILL, or 128 + 9 from a shell): most often the system out of memory. */
export const wasKilled = (code: number | null): boolean => code === 9 || code === 137;

/** The training process ended while this request was pending: killed, crashed or closed by the app. */
export class TrainerExitedError extends Error {
  readonly said: Said;
  constructor(
    sentence: Said,
    /** Its exit code (a signal's number when it was killed), when known. */
    readonly exitCode: number | null,
    /** True when the app itself closed it. */
    readonly closedByApp: boolean,
  ) {
    super(sentence.message);
    this.said = sentence;
    this.name = 'TrainerExitedError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Receives run events while a train request is pending. */
  onEvent?: (event: RunEvent) => void;
  runId?: string;
  /** The request type, so a shutdown can be told from work cut short by it. */
  type: TrainerRequest['type'];
}

/** Talks to one training process at a time; safe to call before it started or after it died. */
export class TrainerClient {
  private port: TrainerPort | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closing = false;

  constructor(private readonly spawn: () => TrainerPort) {}

  /** The backend the trainer selected. */
  hello(): Promise<BackendInfo> {
    return this.request({ type: 'hello' });
  }

  /** Runs a job; `onEvent` receives its events in order until the promise settles. */
  train(job: TrainJob, onEvent: (event: RunEvent) => void): Promise<TrainResult> {
    return this.request({ type: 'train', job }, { onEvent, runId: job.runId });
  }

  /** Asks the run to stop after its current batch; its train() then resolves as 'stopped'. */
  async stop(runId: string): Promise<void> {
    if (!this.port) return; // no process, nothing running
    await this.request({ type: 'stop', runId });
  }

  /** What the last features and predictions ran on (ONNX Runtime and its provider, or TensorFlow.js). */
  async inference(): Promise<TrainerReplies['inference']> {
    if (!this.port) return { features: null, predictions: null }; // no process: nothing has run yet, and asking starts none
    return this.request({ type: 'inference' });
  }

  /** One probability vector per image, with the model saved in `modelDir`. */
  predict(modelDir: string, input: InputSpec, images: ImageSource[], backbone?: TrainerBackbone): Promise<number[][]> {
    return this.request({ type: 'predict', modelDir, input, images, ...(backbone ? { backbone } : {}) });
  }

  /** One outcome per image (probabilities or the reason it could not be decoded); the model is loaded once and kept. */
  predictBatch(modelDir: string, input: InputSpec, images: ImageSource[], backbone?: TrainerBackbone): Promise<PredictOutcome[]> {
    return this.request({ type: 'predictBatch', modelDir, input, images, ...(backbone ? { backbone } : {}) });
  }

  /** Every layer's output for one picture, with the model saved in `modelDir` (after the backbone, when given). */
  activations(modelDir: string, input: InputSpec, image: ImageSource, backbone?: TrainerBackbone): Promise<LayerActivations[]> {
    return this.request({ type: 'activations', modelDir, input, image, ...(backbone ? { backbone } : {}) });
  }

  /** A heat map of what the model in `modelDir` looked at in one image, for a class (null: the predicted one). */
  explain(
    modelDir: string,
    input: InputSpec,
    image: ImageSource,
    classIndex: number | null,
    backbone?: TrainerBackbone,
  ): Promise<ExplainResult> {
    return this.request({ type: 'explain', modelDir, input, image, classIndex, ...(backbone ? { backbone } : {}) });
  }

  /** Asks the process to exit and waits for it; kills it if it does not answer within 5 s. */
  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => port.onExit(() => resolve()));
    const timer = setTimeout(() => port.kill(), 5000);
    try {
      await this.request({ type: 'shutdown' }).catch(() => undefined);
      await exited;
    } finally {
      clearTimeout(timer);
      this.closing = false;
    }
  }

  private ensurePort(): TrainerPort {
    if (this.port) return this.port;
    const port = this.spawn();
    this.port = port;
    port.onMessage((message) => this.onMessage(message));
    port.onExit((code) => this.onExit(port, code));
    return port;
  }

  private request<K extends TrainerRequest['type']>(
    message: Extract<WithoutSeq<TrainerRequest>, { type: K }>,
    extra: Pick<Pending, 'onEvent' | 'runId'> = {},
  ): Promise<TrainerReplies[K]> {
    const port = this.ensurePort();
    const seq = ++this.seq;
    return new Promise<TrainerReplies[K]>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (value: unknown) => void, reject, type: message.type, ...extra });
      port.send({ ...message, seq } as TrainerRequest);
    });
  }

  private onMessage(message: TrainerMessage): void {
    if (message.type === 'event') {
      for (const pending of this.pending.values()) {
        if (pending.runId === message.event.runId) pending.onEvent?.(message.event);
      }
      return;
    }
    const pending = this.pending.get(message.seq);
    if (!pending) return;
    this.pending.delete(message.seq);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new TrainerError(message.error.name, message.error.message, message.error.stack, message.error.said));
  }

  private onExit(port: TrainerPort, code: number | null): void {
    if (this.port !== port) return;
    this.port = null;
    const closed = new TrainerExitedError(said('runs.trainerClient.closed'), code, true);
    const error = new TrainerExitedError(
      said(wasKilled(code) ? 'runs.trainerClient.killed' : 'runs.trainerClient.stopped', { code: code ?? '?' }),
      code,
      false,
    );
    for (const [seq, pending] of this.pending) {
      this.pending.delete(seq);
      // The shutdown reply can race the exit; that is not a failure. Other work was cut short.
      if (pending.type === 'shutdown') pending.resolve(null);
      else pending.reject(this.closing ? closed : error);
    }
  }
}

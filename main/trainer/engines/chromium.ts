// The Chromium training engine, Node's side: serves the engine page (out/engine-page, built by
// vite) from 127.0.0.1 with a one-time token, starts a Chromium on it (a headless Chromium, or
// Capa's own hidden Electron window), keeps it alive between runs, and drives it over a loopback
// WebSocket of binary frames (chromium-wire.ts). The training loop (train.ts) stays in Node: it
// hands each batch to the engine and takes the model's state back after every epoch, so
// checkpoints, resume, early stopping and the run's records are the same whichever engine trained.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BackendInfo, Said } from '../../../preload/contract';
import type { InputSpec, ModelSpec } from '../../../common/model/spec';
import { said } from '../../../common/messages/said';
import type { HostBatch } from '../dataset';
import { applyState, captureState } from '../model-state';
import { TrainingFailure } from '../protocol';
import type { Tf } from '../tf';
import type { EngineRun, EngineSession, TrainingEngine } from './engine';
import {
  bytesOf,
  CHROMIUM_BACKENDS,
  decodeFrame,
  encodeFrame,
  isEngineWindowMessage,
  type ChromiumBackend,
  type EngineMessage,
  type EngineReply,
  type EngineRequest,
  type ProbeResult,
} from './chromium-wire';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Request = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** What train.ts asks of an engine that trains outside this process. */
export interface BatchEngine {
  /** Builds the spec's model in the engine with the state of `model` (its starting or resumed weights and optimizer). */
  begin(model: LayersModel, spec: ModelSpec, numClasses: number, learningRate: number): Promise<void>;
  /** One optimizer step on a batch; its loss and accuracy. */
  trainOnBatch(batch: HostBatch, input: InputSpec, numClasses: number, dropoutSeeds: number[]): Promise<[number, number]>;
  /** Copies the engine's weights and optimizer state into `model` (before validation, checkpoints and saving). */
  sync(tf: Tf, model: LayersModel): Promise<void>;
  setLearningRate(learningRate: number): Promise<void>;
  /** Frees the engine's model; never throws (the run may be failing already). */
  end(): Promise<void>;
}

/** A started Chromium showing the engine page. */
export interface LaunchedBrowser {
  kill(): void;
  onExit(listener: (reason: string) => void): void;
}

/** Starts a browser on `url`; `software` opts in to software rendering (tests). */
export type BrowserLauncher = (url: string, software: boolean) => LaunchedBrowser;

/** SwiftShader for WebGL and WebGPU: the switches of ../shared/ENVIRONMENT.md, for tests only. */
export const SOFTWARE_SWITCHES = [
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

/** The switches that let Chromium use the GPU for WebGPU (on Linux most GPUs are still behind a flag). */
export function gpuSwitches(platform: NodeJS.Platform = process.platform): string[] {
  const common = ['--ignore-gpu-blocklist', '--enable-gpu-rasterization'];
  return platform === 'linux'
    ? [...common, '--enable-unsafe-webgpu', '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan', '--use-angle=vulkan']
    : common;
}

/** Keeps a page in the background running at full speed. */
export const UNTHROTTLED_SWITCHES = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** The Chromium the browser host starts: CAPA_CHROMIUM, else Debian's, else the usual places. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    env['CAPA_CHROMIUM'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!)) ?? null;
}

/** A headless Chromium of its own profile, killed with the trainer. */
export const headlessChromium =
  (executable: string): BrowserLauncher =>
  (url, software) => {
    const profile = mkdtempSync(join(tmpdir(), 'capa-engine-'));
    const args = [
      '--headless=new',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      ...UNTHROTTLED_SWITCHES,
      ...(software ? SOFTWARE_SWITCHES : gpuSwitches()),
      // Chromium refuses to run as root with its sandbox (containers, CI).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      url,
    ];
    const child: ChildProcess = spawn(executable, args, { stdio: 'ignore' });
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(error.message));
      child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
    // Chromium's helper processes may still be writing the profile as it exits: retry, and leave a
    // temporary folder behind rather than fail anything over it.
    void exited.then(() => rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => undefined));
    return {
      kill: () => void child.kill('SIGKILL'),
      onExit: (listener) => void exited.then(listener),
    };
  };

/** The slice of a utilityProcess's parentPort the window launcher uses. */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off?(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** In Electron: asks main for Capa's own hidden engine window (main/electron/engine-window.ts); software is never accepted there. */
export const electronWindowLauncher =
  (port: ParentPortLike): BrowserLauncher =>
  (url) => {
    const listeners: ((reason: string) => void)[] = [];
    let ended: string | null = null;
    const onMessage = (event: { data: unknown }) => {
      const message = event.data;
      if (ended || !isEngineWindowMessage(message) || message.type !== 'engine-window-closed') return;
      ended = message.reason;
      port.off?.('message', onMessage);
      listeners.forEach((listener) => listener(message.reason));
    };
    port.on('message', onMessage);
    port.postMessage({ type: 'engine-window', url });
    return {
      kill: () => port.postMessage({ type: 'engine-window-close' }),
      onExit: (listener) => (ended ? listener(ended) : void listeners.push(listener)),
    };
  };

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** The built engine page: beside this module's build output (out/main/trainer/engines → out/engine-page), or out/ from the sources (tests). */
export const ENGINE_PAGE_DIR =
  [join(__dirname, '..', '..', '..', 'engine-page'), join(__dirname, '..', '..', '..', 'out', 'engine-page')].find((dir) =>
    existsSync(dir),
  ) ?? join(__dirname, '..', '..', '..', 'engine-page');

/** A running engine page and the Chromium that shows it. */
export class ChromiumHost {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: { message: EngineReply; parts: Uint8Array[] }) => void; reject: (error: Error) => void }
  >();
  private endedReason: string | null = null;
  private readonly exitListeners: ((reason: string) => void)[] = [];

  private constructor(
    server: Server,
    private readonly socket: WebSocket,
    private readonly browser: LaunchedBrowser,
    /** What the page found for each backend. */
    readonly probes: ProbeResult[],
  ) {
    const end = (reason: string) => {
      if (this.endedReason) return;
      this.endedReason = reason;
      for (const { reject } of this.pending.values()) reject(new TrainingFailure(said('runs.gpu.ended', { reason })));
      this.pending.clear();
      server.close();
      browser.kill();
      this.exitListeners.forEach((listener) => listener(reason));
    };
    socket.on('close', () => end('WebSocket closed'));
    browser.onExit((reason) => end(`Chromium ended: ${reason}`));
    socket.on('message', (data: Buffer) => {
      const { message, parts } = decodeFrame<EngineMessage>(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (message.type !== 'reply') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiting) return;
      if (message.ok) waiting.resolve({ message, parts });
      else waiting.reject(new Error(`Chromium engine: ${message.error}`));
    });
  }

  /** Serves the page, launches the browser on it, and waits for the page's probe. */
  static async start(launch: BrowserLauncher, software: boolean, pageDir = ENGINE_PAGE_DIR, timeoutMs = 60_000): Promise<ChromiumHost> {
    if (!existsSync(join(pageDir, 'index.html'))) throw new Error(`the engine page is not built (${pageDir}); run npm run build`);
    const token = randomBytes(24).toString('hex');
    const server = createServer((request, response) => {
      const path =
        normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)).replace(/^[/\\]+/, '') || 'index.html';
      const file = join(pageDir, path);
      if (!file.startsWith(pageDir + sep) && file !== pageDir) return void response.writeHead(404).end();
      readFile(file).then(
        (body) =>
          response
            .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
            .end(body),
        () => response.writeHead(404).end(),
      );
    });
    const sockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 30 });
    const connected = new Promise<WebSocket>((resolve) => {
      server.on('upgrade', (request, socket, head) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        // Only the page we started, holding the token, may drive training.
        if (url.pathname !== '/engine' || url.searchParams.get('token') !== token) return void socket.destroy();
        sockets.handleUpgrade(request, socket, head, (ws) => resolve(ws));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const browser = launch(`http://127.0.0.1:${port}/index.html#token=${token}`, software);
    let timer: NodeJS.Timeout | undefined;
    try {
      const ready = await Promise.race([
        connected.then(
          (socket) =>
            new Promise<{ socket: WebSocket; probes: ProbeResult[] }>((resolve) =>
              socket.once('message', (data: Buffer) =>
                resolve({ socket, probes: decodeFrame<{ type: 'ready'; probes: ProbeResult[] }>(new Uint8Array(data)).message.probes }),
              ),
            ),
        ),
        new Promise<never>((_, reject) =>
          browser.onExit((reason) => reject(new Error(`Chromium ended before the engine page was ready: ${reason}`))),
        ),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error(`the engine page did not answer within ${timeoutMs / 1000} s`)), timeoutMs)),
        ),
      ]);
      return new ChromiumHost(server, ready.socket, browser, ready.probes);
    } catch (error) {
      browser.kill();
      server.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Why the engine ended, or null while it runs. */
  get ended(): string | null {
    return this.endedReason;
  }

  /** Calls `listener` once the engine ended (at once if it has). */
  onExit(listener: (reason: string) => void): void {
    if (this.endedReason) listener(this.endedReason);
    else this.exitListeners.push(listener);
  }

  /** Sends one request and waits for its reply. */
  request(request: Request, parts: Uint8Array[] = []): Promise<{ message: EngineReply; parts: Uint8Array[] }> {
    if (this.endedReason) return Promise.reject(new TrainingFailure(said('runs.gpu.ended', { reason: this.endedReason })));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(encodeFrame({ ...request, id }, parts));
    });
  }

  /** Ends the browser (its exit ends this host). */
  kill(): void {
    this.browser.kill();
  }

  /** A BatchEngine on `backend` of this page. */
  engine(backend: ChromiumBackend): BatchEngine & { numTensors: number | null } {
    const host = this;
    return {
      numTensors: null,
      async begin(model, spec, numClasses, learningRate) {
        const { data, ...state } = await captureState(model, null);
        const reply = await host.request({ type: 'begin', backend, spec, numClasses, learningRate, state }, [data]);
        this.numTensors = reply.message.numTensors ?? null;
      },
      async trainOnBatch(batch, input, numClasses, dropoutSeeds) {
        const shape = [batch.count, input.height, input.width, input.channels];
        const reply = await host.request({ type: 'batch', shape, numClasses, dropoutSeeds }, [
          bytesOf(batch.x.subarray(0, batch.count * input.height * input.width * input.channels)),
          bytesOf(batch.y.subarray(0, batch.count * numClasses)),
        ]);
        return [reply.message.loss ?? NaN, reply.message.accuracy ?? NaN];
      },
      async sync(tf, model) {
        const reply = await host.request({ type: 'sync' });
        applyState(
          tf,
          { tensors: reply.message.tensors ?? [], optimizerNumbers: reply.message.optimizerNumbers ?? {}, data: reply.parts[0]! },
          model,
        )?.forEach((t) => t.dispose());
        this.numTensors = reply.message.numTensors ?? null;
      },
      async setLearningRate(learningRate) {
        await host.request({ type: 'rate', learningRate });
      },
      async end() {
        await host.request({ type: 'end' }).catch(() => undefined);
      },
    };
  }
}

/** How to start the engine, from the environment unless given. */
export interface EngineOptions {
  /** CAPA_ENGINE: "webgpu" or "webgl" forces one; "off" never starts Chromium; empty picks. */
  force?: string;
  /** CAPA_GPU_SOFTWARE=1: accept software rendering (tests and benches only). */
  software?: boolean;
  launch?: BrowserLauncher;
}

/** The reason a probed backend cannot train, or null when it can. */
export function probeRefusal(probe: ProbeResult, software: boolean): Said | null {
  const backend = probe.backend === 'webgpu' ? 'WebGPU' : 'WebGL';
  if (probe.reason === 'no-navigator-gpu') return said('runs.gpu.noWebgpu');
  if (probe.reason === 'no-adapter') return said('runs.gpu.noAdapter');
  if (probe.reason === 'no-webgl2' || !probe.device) return said('runs.gpu.noWebgl');
  if (probe.software && !software) return said('runs.gpu.software', { backend, device: probe.device });
  return null;
}

/** The first probed backend that may train (probes come fastest first), and why each one before it may not. */
export function pickBackend(probes: readonly ProbeResult[], software: boolean): { probe: ProbeResult | null; reasons: Said[] } {
  const reasons: Said[] = [];
  for (const probe of probes) {
    const refusal = probeRefusal(probe, software);
    if (!refusal) return { probe, reasons };
    reasons.push(refusal);
  }
  return { probe: null, reasons };
}

let shared: Promise<ChromiumHost> | null = null;
/** Why no Chromium backend could train in this process (probed once: a machine's GPU does not change between runs). */
let refusedHere: string[] | null = null;

/** The engine host of this process: started on first use, kept alive between runs, restarted after it ended. */
export function sharedHost(launch: BrowserLauncher, software: boolean): Promise<ChromiumHost> {
  if (!shared) {
    shared = ChromiumHost.start(launch, software);
    shared.then(
      (host) => host.onExit(() => (shared = null)),
      () => (shared = null),
    );
  }
  return shared;
}

/** The engine a run trains on, with the backend info to report; null engine means Node's own backend. */
export interface ChosenEngine {
  engine: BatchEngine | null;
  info: BackendInfo;
}

/**
 * Picks Chromium WebGPU, then WebGL, unless the Node backend already is a GPU or a backend was
 * forced; any reason a faster engine was skipped joins the fallbacks, one line each.
 */
export async function chooseEngine(
  nodeInfo: BackendInfo,
  options: EngineOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChosenEngine> {
  const force = (options.force ?? env['CAPA_ENGINE'] ?? '').trim();
  const software = options.software ?? env['CAPA_GPU_SOFTWARE'] === '1';
  const keep: ChosenEngine = { engine: null, info: nodeInfo };
  if (force === 'off' || nodeInfo.gpu) return keep;
  if (force && !(CHROMIUM_BACKENDS as readonly string[]).includes(force))
    throw new Error(`CAPA_ENGINE must be webgpu, webgl or off. Received: ${JSON.stringify(force)}`);
  // A forced Node backend (CAPA_BACKEND) means that backend: no Chromium.
  if (!force && (env['CAPA_BACKEND'] ?? '').trim()) return keep;
  const reasons: string[] = [];
  const skipped = (line: Said): ChosenEngine => {
    if (force) throw new TrainingFailure(said('runs.gpu.forcedMissing', { backend: force, reason: line.message }));
    return { engine: null, info: { ...nodeInfo, fallbacks: [...reasons, line.message, ...nodeInfo.fallbacks] } };
  };
  if (refusedHere && !force && !options.launch)
    return { engine: null, info: { ...nodeInfo, fallbacks: [...refusedHere, ...nodeInfo.fallbacks] } };
  let launch = options.launch;
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (!launch && parentPort) launch = electronWindowLauncher(parentPort);
  if (!launch) {
    const executable = chromiumPath(env);
    if (!executable) return skipped(said('runs.gpu.noChromium'));
    launch = headlessChromium(executable);
  }
  let host: ChromiumHost;
  try {
    host = await sharedHost(launch, software);
  } catch (error) {
    return skipped(said('runs.gpu.failed', { reason: (error instanceof Error ? error.message : String(error)).split('\n')[0]! }));
  }
  const pick = pickBackend(
    host.probes.filter((probe) => !force || probe.backend === force),
    software,
  );
  reasons.push(...pick.reasons.map((reason) => reason.message));
  if (!pick.probe) {
    if (force) return skipped(pick.reasons[0]!);
    // Nothing here can train: no Chromium kept running for nothing, and none started again for the next run.
    host.kill();
    if (!options.launch) refusedHere = [...reasons];
    return { engine: null, info: { ...nodeInfo, fallbacks: [...reasons, ...nodeInfo.fallbacks] } };
  }
  const { probe } = pick;
  const backend = probe.backend === 'webgpu' ? 'WebGPU' : 'WebGL';
  const sentence = said(probe.software ? 'runs.gpu.engineSoftware' : 'runs.gpu.engine', { backend, device: probe.device! });
  return {
    engine: host.engine(probe.backend),
    info: {
      name: `chromium-${probe.backend}`,
      description: sentence.message,
      said: sentence,
      gpu: !probe.software,
      fallbacks: [...reasons, ...nodeInfo.fallbacks],
    },
  };
}

/** Current learning rate of a tfjs optimizer (setLearningRate in ../model-builder.ts writes it there). */
const learningRateOf = (model: LayersModel): number => (model.optimizer as unknown as { learningRate: number }).learningRate;

/**
 * A Chromium page's engine in the shape the training loop steps through (engine.ts): the page
 * trains its own copy of the model, which is copied back into the trainer's before validation,
 * checkpoints and saving (sync), and takes over a lowered learning rate (reload).
 */
export function asTrainingEngine(
  batch: BatchEngine,
  info: BackendInfo,
  dispose: () => Promise<void> = async () => undefined,
): TrainingEngine {
  const { fallbacks: _fallbacks, ...described } = info;
  void _fallbacks;
  return {
    id: info.name === 'chromium-webgpu' ? 'chromium-webgpu' : 'chromium-webgl',
    info: described,
    async open(tf: Tf, model: LayersModel, run: EngineRun): Promise<EngineSession> {
      const classes = (model.outputs[0]!.shape as number[]).at(-1)!;
      await batch.begin(model, run.spec, classes, run.learningRate);
      return {
        async step(host, seeds) {
          const [loss, accuracy] = await batch.trainOnBatch(host, run.spec.input, classes, [...seeds]);
          return { loss, accuracy };
        },
        sync: () => batch.sync(tf, model),
        reload: () => batch.setLearningRate(learningRateOf(model)),
        close: () => batch.end(),
      };
    },
    dispose,
  };
}

/**
 * The backend chain's loader (../backends.ts): the Chromium engine on `api`, or an error saying
 * why not (no Chromium, no adapter, a software one, turned off with CAPA_ENGINE=off).
 */
export async function loadChromiumEngine(api: ChromiumBackend, env: NodeJS.ProcessEnv = process.env): Promise<TrainingEngine> {
  const setting = (env['CAPA_ENGINE'] ?? '').trim();
  if (setting === 'off' || (setting !== '' && setting !== api)) throw new Error(said('runs.gpu.turnedOff', { setting }).message);
  const node: BackendInfo = { name: 'node', description: '', gpu: false, fallbacks: [] };
  let chosen: ChosenEngine;
  try {
    chosen = await chooseEngine(node, { force: api }, env);
  } catch (error) {
    // WebGL is the chain's last Chromium engine: when it cannot train either, no Chromium stays up for nothing.
    if (api === 'webgl')
      void shared?.then(
        (host) => host.kill(),
        () => undefined,
      );
    throw new Error(error instanceof TrainingFailure ? error.said.message : error instanceof Error ? error.message : String(error));
  }
  if (!chosen.engine) throw new Error(chosen.info.fallbacks[0] ?? said('runs.gpu.noAdapter').message);
  return asTrainingEngine(chosen.engine, chosen.info);
}

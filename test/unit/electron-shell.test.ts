// The Electron shell's decisions, tested without the Electron binary: security switches, the
// sender and permission checks, the CSP, URL parsing, the IPC wiring, the trainer port, the
// preload's exposed surface (with `electron` replaced only there) and the launcher's fallback.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES, RUN_EVENT_CHANNEL, channelOf, mediaPath } from '../../preload/contract';
import type { CapaApi, RunEvent } from '../../preload/contract';
import { defaultDataDir, userDataDir } from '../../main/core/settings/data-dir';
import { findElectronBinary } from '../../main/electron-binary';
import { registerIpcHandlers, UNTRUSTED_SENDER_RESULT } from '../../main/electron/ipc';
import type { IpcRegistrar } from '../../main/electron/ipc';
import {
  APP_ENTRY_URL,
  appUrlToFile,
  contentSecurityPolicy,
  isPermissionAllowed,
  isTrustedSender,
  parseMediaUrl,
} from '../../main/electron/security';
import type { IpcSenderInfo } from '../../main/electron/security';
import { forkUtilityTrainer, TRAINER_SERVICE_NAME } from '../../main/electron/trainer-port';
import type { UtilityFork } from '../../main/electron/trainer-port';
import { mainWindowOptions } from '../../main/electron/window-options';
import { DEFAULT_PORT, fallbackMessage, launch } from '../../main/launcher';
import type { LauncherDeps } from '../../main/launcher';
import type { TrainerMessage } from '../../main/trainer/protocol';

describe('main window options', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security on', () => {
    const options = mainWindowOptions('/app/out/preload/bridge.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/bridge.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('IPC sender check', () => {
  const trusted = new Set([7]);
  const event = (senderId: number, url: string | null): IpcSenderInfo => ({
    sender: { id: senderId },
    senderFrame: url === null ? null : { url },
  });

  it('accepts our window on our app URL', () => {
    expect(isTrustedSender(event(7, APP_ENTRY_URL), trusted)).toBe(true);
    expect(isTrustedSender(event(7, 'app://capa/index.html#/projects/abc'), trusted)).toBe(true);
  });

  it('refuses a foreign webContents even on our URL', () => {
    expect(isTrustedSender(event(8, APP_ENTRY_URL), trusted)).toBe(false);
  });

  it('refuses a foreign frame URL in our window', () => {
    for (const url of [
      'https://example.com/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'http://capa/index.html',
      'app:capa',
      'not a url',
      '',
    ]) {
      expect(isTrustedSender(event(7, url), trusted), url).toBe(false);
    }
  });

  it('refuses a destroyed or navigated-away frame', () => {
    expect(isTrustedSender(event(7, null), trusted)).toBe(false);
  });
});

describe('IPC wiring', () => {
  type Handler = Parameters<IpcRegistrar['handle']>[1];
  const fakeIpc = () => {
    const handlers = new Map<string, Handler>();
    const ipc: IpcRegistrar = {
      handle: (channel, handler) => void handlers.set(channel, handler),
      removeHandler: (channel) => void handlers.delete(channel),
    };
    return { ipc, handlers };
  };

  it('registers one channel per operation and removes them all', () => {
    const { ipc, handlers } = fakeIpc();
    const dispose = registerIpcHandlers(ipc, { call: vi.fn() }, () => true);
    expect([...handlers.keys()].sort()).toEqual(OPERATION_NAMES.map(channelOf).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('answers an untrusted sender with an invalid-argument Result and never calls the service', async () => {
    const { ipc, handlers } = fakeIpc();
    const call = vi.fn();
    registerIpcHandlers(ipc, { call }, () => false);
    const result = await handlers.get(channelOf('deleteProject'))!(
      { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/' } },
      { projectId: 'p' },
    );
    expect(result).toEqual(UNTRUSTED_SENDER_RESULT);
    expect(result.ok === false && result.error.code).toBe('invalid-argument');
    expect(call).not.toHaveBeenCalled();
  });

  it('passes a trusted call to the service with its own operation name', async () => {
    const { ipc, handlers } = fakeIpc();
    const call = vi.fn(async () => ({ ok: true as const, value: 'created' }));
    registerIpcHandlers(ipc, { call }, (event) => isTrustedSender(event, new Set([3])));
    const result = await handlers.get(channelOf('createProject'))!(
      { sender: { id: 3 }, senderFrame: { url: APP_ENTRY_URL } },
      { name: 'Birds' },
    );
    expect(call).toHaveBeenCalledWith('createProject', { name: 'Birds' });
    expect(result).toEqual({ ok: true, value: 'created' });
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    contentSecurityPolicy()
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values] as const),
  );

  it('never allows eval or inline scripts', () => {
    expect(contentSecurityPolicy()).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy()).not.toContain('wasm-unsafe-eval');
    expect(directives.get('script-src')).toEqual(["'self'"]);
  });

  it('denies by default and forbids plugins, frames, base and form targets', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    for (const name of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors']) {
      expect(directives.get(name), name).toEqual(["'none'"]);
    }
  });

  it('reaches nothing on the network', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toMatch(/https?:|\*/);
  });
});

describe('permissions', () => {
  it('grants the camera to our pages only', () => {
    expect(isPermissionAllowed('media', { mediaTypes: ['video'], requestingUrl: APP_ENTRY_URL })).toBe(true);
    expect(isPermissionAllowed('media', { mediaTypes: ['video'], requestingUrl: 'https://example.com/' })).toBe(false);
  });

  it('refuses the microphone, empty media requests and every other permission', () => {
    expect(isPermissionAllowed('media', { mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionAllowed('media', { mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(isPermissionAllowed('media', {})).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'usb']) {
      expect(isPermissionAllowed(permission, { mediaTypes: ['video'] }), permission).toBe(false);
    }
  });
});

describe('media URLs', () => {
  it('parses what mediaPath builds', () => {
    expect(parseMediaUrl(`capa-media://media/${mediaPath('thumb', 'p_1-Ab', 42)}`)).toEqual({
      kind: 'thumb',
      projectId: 'p_1-Ab',
      imageId: 42,
    });
    expect(parseMediaUrl(`capa-media://media/${mediaPath('image', 'abc', 1)}`)).toEqual({ kind: 'image', projectId: 'abc', imageId: 1 });
  });

  it('refuses path traversal, plain or percent-encoded', () => {
    for (const url of [
      'capa-media://media/thumb/../../etc/passwd',
      'capa-media://media/thumb/%2e%2e/1',
      'capa-media://media/thumb/..%2f..%2fsecret/1',
      'capa-media://media/thumb/a%2fb/1',
      'capa-media://media/thumb/a%5cb/1',
      'capa-media://media/image/abc/../1',
      'capa-media://media/image/%2E%2E/%2E%2E/1',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull();
    }
  });

  it('refuses non-numeric and out-of-range image ids', () => {
    for (const id of ['abc', '0', '-1', '1.5', '1e3', '01', '0x10', '99999999999999999', '', ' 1']) {
      expect(parseMediaUrl(`capa-media://media/thumb/abc/${id}`), id).toBeNull();
    }
  });

  it('refuses unknown kinds, hosts, schemes and extra parts', () => {
    for (const url of [
      'capa-media://media/original/abc/1',
      'capa-media://media/THUMB/abc/1',
      'capa-media://elsewhere/thumb/abc/1',
      'file://media/thumb/abc/1',
      'app://capa/thumb/abc/1',
      'capa-media://media/thumb/abc/1/extra',
      'capa-media://media/thumb/abc',
      'capa-media://media/thumb/abc/1?size=big',
      'capa-media://media/thumb/abc/1#x',
      'capa-media://media/thumb/%E0%A4%A/1',
      'not a url',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull();
    }
  });
});

describe('app:// files', () => {
  const root = resolve('/srv/capa/out/renderer');

  it('maps our URLs into the renderer folder, with index.html for the root', () => {
    expect(appUrlToFile('app://capa/', root)).toBe(join(root, 'index.html'));
    expect(appUrlToFile('app://capa/assets/index-abc.js', root)).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it('refuses other origins and anything that escapes the folder', () => {
    for (const url of [
      'app://other/index.html',
      'file:///srv/capa/out/renderer/index.html',
      'app://capa/..%2f..%2fpackage.json',
      'app://capa/%2e%2e%2fsecret',
      'app://capa/a%00b',
      'app://capa/%E0%A4%A',
    ]) {
      expect(appUrlToFile(url, root), url).toBeNull();
    }
  });
});

describe('utilityProcess trainer port', () => {
  class FakeChild extends EventEmitter {
    posted: unknown[] = [];
    killed = 0;
    postMessage(message: unknown): void {
      this.posted.push(message);
    }
    kill(): boolean {
      this.killed += 1;
      return true;
    }
  }

  it('forks the trainer script with its service name and relays messages and exit', () => {
    const child = new FakeChild();
    const fork = vi.fn(() => child);
    const port = forkUtilityTrainer(fork as unknown as UtilityFork, '/app/out/main/trainer/main.js', { A: '1' });
    expect(fork).toHaveBeenCalledWith(
      '/app/out/main/trainer/main.js',
      [],
      expect.objectContaining({ serviceName: TRAINER_SERVICE_NAME, env: { A: '1' } }),
    );
    expect(TRAINER_SERVICE_NAME).toBe('Capa trainer');

    const received: TrainerMessage[] = [];
    port.onMessage((message) => received.push(message));
    const exits: (number | null)[] = [];
    port.onExit((code) => exits.push(code));

    port.send({ seq: 1, type: 'hello' });
    expect(child.posted).toEqual([{ seq: 1, type: 'hello' }]);
    const reply: TrainerMessage = { type: 'reply', seq: 1, ok: true, result: null };
    child.emit('message', reply);
    expect(received).toEqual([reply]);

    child.emit('exit', 3);
    expect(exits).toEqual([3]);
    // A dead process is neither written to nor killed again.
    port.send({ seq: 2, type: 'shutdown' });
    port.kill();
    expect(child.posted).toHaveLength(1);
    expect(child.killed).toBe(0);
  });
});

describe('preload bridge', () => {
  afterEach(() => {
    vi.doUnmock('electron');
    vi.resetModules();
  });

  async function loadBridge() {
    const exposed = new Map<string, unknown>();
    const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
    const ipcRenderer = {
      invoke: vi.fn(async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } })),
      on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      }),
      removeListener: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(listener);
      }),
      send: vi.fn(),
      sendSync: vi.fn(),
    };
    const getPathForFile = vi.fn((file: { name: string }) => (file.name === 'built-in-page.png' ? '' : `/photos/${file.name}`));
    // Only the preload needs `electron`: replaced here, for this import alone.
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer,
      webUtils: { getPathForFile },
    }));
    vi.resetModules();
    await import('../../preload/bridge');
    return { exposed, ipcRenderer, listeners };
  }

  it('exposes exactly the operations, onRunEvent, onImportEvent and pathForFile as window.capa', async () => {
    const { exposed, ipcRenderer } = await loadBridge();
    expect([...exposed.keys()]).toEqual(['capa']);
    const api = exposed.get('capa') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, 'onRunEvent', 'onImportEvent', 'onBackboneEvent', 'pathForFile'].sort());
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer);
      expect(Object.values(ipcRenderer)).not.toContain(value);
    }
  });

  it('sends each operation on its own channel with the request only', async () => {
    const { exposed, ipcRenderer } = await loadBridge();
    const api = exposed.get('capa') as CapaApi;
    const result = await api.createProject({ name: 'Birds' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('capa:createProject', { name: 'Birds' });
    expect(ipcRenderer.invoke.mock.calls[0]).toHaveLength(2);
    expect(result).toEqual({ ok: true, value: { channel: 'capa:createProject', request: { name: 'Birds' } } });
    for (const name of OPERATION_NAMES) {
      await (api[name] as (request: unknown) => Promise<unknown>)({});
      expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(channelOf(name), {});
    }
  });

  it('delivers run events without the IPC event and unsubscribes', async () => {
    const { exposed, listeners } = await loadBridge();
    const api = exposed.get('capa') as CapaApi;
    const seen: unknown[][] = [];
    const unsubscribe = api.onRunEvent((...args: unknown[]) => seen.push(args));
    const event: RunEvent = { runId: 'r1', kind: 'log', level: 'info', message: 'hi' };
    for (const listener of listeners.get(RUN_EVENT_CHANNEL)!) listener({ sender: 'ipcRenderer itself' }, event);
    expect(seen).toEqual([[event]]);
    unsubscribe();
    expect(listeners.get(RUN_EVENT_CHANNEL)!.size).toBe(0);
  });

  it('gives the path of a dropped file, and undefined for one not on disk', async () => {
    const { exposed } = await loadBridge();
    const api = exposed.get('capa') as CapaApi;
    expect(api.pathForFile!({ name: 'cat.jpg' } as File)).toBe('/photos/cat.jpg');
    expect(api.pathForFile!({ name: 'built-in-page.png' } as File)).toBeUndefined();
  });
});

describe('bundled preload (out/preload/bridge.cjs, built by npm run build)', () => {
  it('requires nothing but electron, as a sandboxed preload must, and exposes window.capa', () => {
    const bundle = readFileSync(join(__dirname, '..', '..', 'out', 'preload', 'bridge.cjs'), 'utf8');
    const required: string[] = [];
    const exposed: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: object) => exposed.push(key, ...Object.keys(api)) },
      ipcRenderer: { invoke: async () => null, on: () => {}, removeListener: () => {} },
      webUtils: { getPathForFile: () => '' },
    };
    // The same globals a sandboxed preload gets: a require limited to a few modules, no exports needed.
    const sandboxRequire = (id: string): unknown => {
      required.push(id);
      if (id === 'electron') return fakeElectron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    runInNewContext(bundle, { require: sandboxRequire, module: { exports: {} }, exports: {} });
    expect(required).toEqual(['electron']);
    expect(exposed[0]).toBe('capa');
    expect(exposed.slice(1).sort()).toEqual([...OPERATION_NAMES, 'onRunEvent', 'onImportEvent', 'onBackboneEvent', 'pathForFile'].sort());
  });
});

describe('launcher', () => {
  const deps = (overrides: Partial<LauncherDeps>): LauncherDeps & { lines: string[] } => {
    const lines: string[] = [];
    return {
      findElectron: () => ({ ok: false, reason: 'missing' }),
      runElectron: vi.fn(async () => 0),
      startBrowserHost: vi.fn(async ({ port }: { port: number }) => ({ url: `http://127.0.0.1:${port}` })),
      log: (line: string) => lines.push(line),
      openBrowser: vi.fn(),
      env: {},
      args: [],
      lines,
      ...overrides,
    };
  };

  it('serves the browser when require("electron") throws, and says so in one line', async () => {
    const d = deps({
      findElectron: () =>
        findElectronBinary(() => {
          throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
        }),
      env: { CAPA_DATA_DIR: '/data/capa', PORT: '6001', CAPA_NO_OPEN: '1' },
    });
    const outcome = await launch(d);
    expect(outcome).toEqual({ kind: 'browser', url: 'http://127.0.0.1:6001' });
    expect(d.startBrowserHost).toHaveBeenCalledWith({ dataDir: '/data/capa', port: 6001 });
    expect(d.openBrowser).not.toHaveBeenCalled();
    expect(d.runElectron).not.toHaveBeenCalled();
    expect(d.lines).toEqual([fallbackMessage('http://127.0.0.1:6001')]);
    expect(d.lines[0]).toMatch(/^Electron is not installed on this machine .*http:\/\/127\.0\.0\.1:6001 instead\.$/);
  });

  it('defaults to port 5817 and the per-user data folder', async () => {
    const d = deps({ env: { PORT: 'not-a-port', HOME: '/home/ada' } });
    await launch(d);
    expect(DEFAULT_PORT).toBe(5817);
    expect(d.startBrowserHost).toHaveBeenCalledWith({
      dataDir: defaultDataDir({ env: {} }),
      port: 5817,
      settingsFile: join(userDataDir({ env: {} }), 'settings.json'),
    });
    expect(d.openBrowser).toHaveBeenCalledWith('http://127.0.0.1:5817');
  });

  it('runs Electron on the app folder with the arguments when its binary exists', async () => {
    const d = deps({
      findElectron: () =>
        findElectronBinary(
          () => '/opt/electron/electron',
          (path) => path === '/opt/electron/electron',
        ),
      runElectron: vi.fn(async () => 4),
      args: ['--inspect-brk'],
      env: { A: 'b' },
    });
    expect(await launch(d)).toEqual({ kind: 'electron', exitCode: 4 });
    expect(d.runElectron).toHaveBeenCalledWith('/opt/electron/electron', ['--inspect-brk'], { A: 'b' });
    expect(d.startBrowserHost).not.toHaveBeenCalled();
    expect(d.openBrowser).not.toHaveBeenCalled();
    expect(d.lines).toEqual([]);
  });

  it('treats a missing file or a non-path as no binary', () => {
    expect(
      findElectronBinary(
        () => '/gone/electron',
        () => false,
      ).ok,
    ).toBe(false);
    expect(
      findElectronBinary(
        () => ({ app: {} }),
        () => true,
      ).ok,
    ).toBe(false);
  });
});

describe('data folder', () => {
  it('honours CAPA_DATA_DIR, else userData/projects', () => {
    expect(defaultDataDir({ env: { CAPA_DATA_DIR: '/x/y' }, userData: '/u' })).toBe('/x/y');
    expect(defaultDataDir({ env: { CAPA_DATA_DIR: '  ' }, userData: '/u' })).toBe(join('/u', 'projects'));
    expect(defaultDataDir({ env: {}, platform: 'linux', home: '/home/ada' })).toBe(join('/home/ada', '.config', 'Capa', 'projects'));
  });

  it('matches Electron userData per platform', () => {
    expect(userDataDir({ env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux', home: '/h' })).toBe(join('/cfg', 'Capa'));
    expect(userDataDir({ env: {}, platform: 'darwin', home: '/Users/ada' })).toBe(
      join('/Users/ada', 'Library', 'Application Support', 'Capa'),
    );
    expect(userDataDir({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\ada' })).toBe(
      join('C:\\Users\\ada\\AppData\\Roaming', 'Capa'),
    );
  });
});

// Capa's hidden window for the Chromium training engine, without Electron (there is no binary
// here): its options, switches and life with a stand-in BrowserWindow, and the messages between
// the trainer's launcher and main's trainer port.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { BrowserWindow, BrowserWindowConstructorOptions, UtilityProcess } from 'electron';
import { appendEngineSwitches, engineWindowOptions, openEngineWindow, switchPairs } from '../../main/electron/engine-window';
import { forkUtilityTrainer } from '../../main/electron/trainer-port';
import { electronWindowLauncher, type ParentPortLike } from '../../main/trainer/engines/chromium';

/** A BrowserWindow stand-in that records what was done to it. */
class FakeWindow extends EventEmitter {
  static last: FakeWindow | null = null;
  readonly calls: string[] = [];
  destroyed = false;
  readonly webContents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => this.calls.push('setWindowOpenHandler') });
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeWindow.last = this;
  }
  loadURL(url: string) {
    this.calls.push(`loadURL ${url}`);
    return Promise.resolve();
  }
  hide() {
    this.calls.push('hide');
  }
  show() {
    this.calls.push('show');
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('closed');
  }
}
const Window = FakeWindow as unknown as new (options: BrowserWindowConstructorOptions) => BrowserWindow;

describe('engine window', () => {
  it('is never shown, never hidden with hide(), unthrottled, sandboxed, in a session of its own', () => {
    const options = engineWindowOptions();
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({
      backgroundThrottling: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      partition: 'capa-engine',
    });
    expect(options.webPreferences?.preload).toBeUndefined();
    const opened = openEngineWindow(Window, 'http://127.0.0.1:4567/index.html#token=abc');
    const window = FakeWindow.last!;
    expect(window.calls).toEqual(['setWindowOpenHandler', 'loadURL http://127.0.0.1:4567/index.html#token=abc']);
    const reasons: string[] = [];
    opened.onClosed((reason) => reasons.push(reason));
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(reasons).toEqual(["the engine window's renderer ended (crashed)"]);
    expect(window.calls).not.toContain('hide');
    expect(window.calls).not.toContain('show');
  });

  it('opens only the trainer page on 127.0.0.1', () => {
    expect(() => openEngineWindow(Window, 'https://example.com/')).toThrow(/127\.0\.0\.1/);
    expect(() => openEngineWindow(Window, 'http://localhost:80/')).toThrow(/127\.0\.0\.1/);
  });

  it('switches WebGPU on for Linux and background throttling off', () => {
    const appended: string[] = [];
    appendEngineSwitches(
      { appendSwitch: (name: string, value?: string) => void appended.push(value === undefined ? name : `${name}=${value}`) },
      'linux',
    );
    expect(appended).toContain('enable-unsafe-webgpu');
    expect(appended.some((flag) => flag.startsWith('enable-features=') && flag.includes('Vulkan'))).toBe(true);
    expect(appended).toContain('disable-renderer-backgrounding');
    const mac: string[] = [];
    appendEngineSwitches({ appendSwitch: (name: string) => void mac.push(name) }, 'darwin');
    expect(mac).not.toContain('enable-unsafe-webgpu');
    expect(switchPairs(['--a=b=c', '--d'])).toEqual([
      ['a', 'b=c'],
      ['d', undefined],
    ]);
  });

  it('main opens it when the trainer asks, keeps those messages from the client, and tells the trainer when it closed', () => {
    const child = Object.assign(new EventEmitter(), {
      posted: [] as unknown[],
      postMessage(message: unknown) {
        this.posted.push(message);
      },
      kill() {},
    });
    const opened: string[] = [];
    const port = forkUtilityTrainer(
      () => child as unknown as UtilityProcess,
      'trainer.js',
      {},
      (url) => {
        opened.push(url);
        return openEngineWindow(Window, url);
      },
    );
    const received: unknown[] = [];
    port.onMessage((message) => received.push(message));
    child.emit('message', { type: 'engine-window', url: 'http://127.0.0.1:1/index.html' });
    child.emit('message', { type: 'event', event: { runId: 'r', kind: 'log' } });
    expect(opened).toEqual(['http://127.0.0.1:1/index.html']);
    expect(received).toEqual([{ type: 'event', event: { runId: 'r', kind: 'log' } }]);
    child.emit('message', { type: 'engine-window-close' });
    expect(FakeWindow.last!.destroyed).toBe(true);
    expect(child.posted).toEqual([{ type: 'engine-window-closed', reason: 'the engine window was closed' }]);
  });

  it("the trainer's launcher asks for the window, closes it, and learns of its end", () => {
    const events = new EventEmitter();
    const posted: unknown[] = [];
    const port: ParentPortLike = {
      postMessage: (message) => void posted.push(message),
      on: (event, listener) => void events.on(event, listener),
      off: (event, listener) => void events.off(event, listener),
    };
    const browser = electronWindowLauncher(port)('http://127.0.0.1:2/index.html', false);
    expect(posted).toEqual([{ type: 'engine-window', url: 'http://127.0.0.1:2/index.html' }]);
    const ends: string[] = [];
    browser.onExit((reason) => ends.push(reason));
    browser.kill();
    expect(posted.at(-1)).toEqual({ type: 'engine-window-close' });
    events.emit('message', { data: { type: 'engine-window-closed', reason: 'gone' } });
    events.emit('message', { data: { type: 'engine-window-closed', reason: 'twice' } });
    expect(ends).toEqual(['gone']);
  });
});

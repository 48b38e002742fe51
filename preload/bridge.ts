// The preload entry: exposes `window.capa` to the sandboxed renderer. It never exposes ipcRenderer
// itself, so a compromised page can reach only the contract's operations.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createCapaApi } from './capa-api';

contextBridge.exposeInMainWorld(
  'capa',
  createCapaApi(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);

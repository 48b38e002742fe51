// Entry: picks the platform (Electron preload or browser host) and mounts the app.
import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import App from './App.svelte';
import { createPlatform } from './lib/api';
import { AppState } from './state/app.svelte';

const app = new AppState(createPlatform());
void app.loadProjects();
mount(App, { target: document.getElementById('app')!, props: { app } });

// Electron's File > New project arrives as a DOM event (main/electron/menu.ts), so the bridge
// stays one method per operation.
window.addEventListener('capa-menu', (event) => {
  if ((event as CustomEvent<string>).detail === 'new-project') app.go('projects');
});

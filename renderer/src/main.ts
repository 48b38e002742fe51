// Entry: picks the platform (Electron preload or browser host) and mounts the app.
import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import App from './App.svelte';
import { createPlatform } from './lib/api';
import { installMenuEvents } from './lib/menu-events';
import { followSystemTheme } from './lib/theme';
import { AppState } from './state/app.svelte';

// The system's theme paints the first frame; the saved choice replaces it once settings load.
followSystemTheme();
const app = new AppState(createPlatform());
void app.settings.load();
void app.loadProjects();
mount(App, { target: document.getElementById('app')!, props: { app } });

// Electron's menu arrives as DOM events (main/electron/menu.ts), so the bridge stays one method per operation.
installMenuEvents(app);

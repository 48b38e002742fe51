// Entry of `npm start` (out/main/launch.js): Electron when it is installed, the browser otherwise.
import { launch, processDeps } from './launcher';

launch(processDeps()).then(
  (outcome) => {
    // The browser host keeps the process alive; Electron's exit code becomes ours.
    if (outcome.kind === 'electron') process.exitCode = outcome.exitCode;
  },
  (error: unknown) => {
    console.error('Capa could not start:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);

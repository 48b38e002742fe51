// `npm run serve`: the browser host on its own, e.g. on a GPU box reached from a laptop.
import { parseArgs } from 'node:util';
import { dataDirFromEnv, defaultDataDir, userDataDir } from '../core/settings/data-dir';
import { settingsFileIn } from '../core/settings/settings';
import { startBrowserHost } from './host';

const USAGE = `Usage: npm run serve -- [--host 127.0.0.1] [--port 5817] [--token TOKEN] [--data-dir DIR] [--settings-file FILE]
Preferences live in FILE (default: settings.json next to the default data folder, unless --data-dir or CAPA_DATA_DIR fixes the folder).
Binding beyond loopback (e.g. --host 0.0.0.0) always requires a token; one is generated and printed when not given.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '5817' },
      token: { type: 'string' },
      'data-dir': { type: 'string' },
      'settings-file': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a number from 0 to 65535. Received: ${values.port}`);
  const fixedDataDir = values['data-dir'] ?? dataDirFromEnv();
  const dataDir = fixedDataDir ?? defaultDataDir();
  // A folder fixed on the command line or by CAPA_DATA_DIR has no preferences file unless one is named.
  const settingsFile = values['settings-file'] ?? (fixedDataDir === null ? settingsFileIn(userDataDir()) : undefined);
  const host = await startBrowserHost({ dataDir, settingsFile, host: values.host, port, token: values.token ?? process.env.CAPA_TOKEN });
  console.log(`Capa is serving ${dataDir} at ${host.url}`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

import { loadLocalConfig } from '../shared/config/config.js';
import { startLocalStack } from '../shared/local/local-stack.js';

/**
 * `npm start`: the whole vault on this machine. Ctrl-C or SIGTERM stops everything it
 * started, Java included.
 */
const started = Date.now();
const stack = await startLocalStack(loadLocalConfig(), { say: (line) => console.log(line) }).catch(
  (error: unknown) => {
    console.error(`card-vault could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
console.log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    void stack.stop().finally(() => process.exit(0));
  });
}

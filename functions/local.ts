import { loadLocalConfig } from '../shared/config/config.js';
import { startLocalStack } from '../shared/local/local-stack.js';

/**
 * `npm start`: the whole vault on this machine. Ctrl-C or SIGTERM stops everything it
 * started, Java included.
 */
const started = Date.now();
const couldNotStart = (error: unknown): never => {
  console.error(`card-vault could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};
// A bad setting is a message naming it, like a taken port, not a stack trace.
const stack = await Promise.resolve()
  .then(() => startLocalStack(loadLocalConfig(), { say: (line) => console.log(line) }))
  .catch(couldNotStart);
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

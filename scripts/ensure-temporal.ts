import { ensureTemporalCli } from '../client/server/temporal-cli.ts';

/** Prints the path of a working Temporal CLI, installing the pinned one into `.tools/bin` when needed. */
console.log(await ensureTemporalCli());

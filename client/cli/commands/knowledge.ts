import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { deploymentEmbedder } from '../../../activities/knowledge/deployment-embedder.ts';
import { loadConfig } from '../../../schema/config.ts';
import { KnowledgeDocumentInput, KnowledgeKind, maxKnowledgeLimit } from '../../../schema/knowledge.ts';
import { parseInput } from '../../../schema/validation.ts';
import { KnowledgeApi } from '../../knowledge.ts';
import type { KnowledgeOperations } from '../../remote/knowledge-operations.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../remote/swarmflow-client.ts';
import { remoteTarget, withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

const Kinds = z
  .string()
  .optional()
  .transform((value) => (value === undefined ? undefined : value.split(',').map((kind) => kind.trim())))
  .pipe(z.array(KnowledgeKind).min(1).optional());

const SearchArguments = z.strictObject({
  '<query>': z.string().trim().min(1, 'give the text to search for'),
  '--kinds': Kinds,
  '--limit': z.coerce.number().int().min(1).max(maxKnowledgeLimit).default(10),
});

const ListArguments = z.strictObject({ '--kinds': Kinds });

/**
 * Runs `work` on the knowledge base: over the API server in remote mode (--url, --api-key), else
 * on the configured database directly, without Temporal (the knowledge base needs only PostgreSQL).
 */
async function withKnowledge<T>(work: (knowledge: KnowledgeOperations) => Promise<T>): Promise<T> {
  const target = remoteTarget();
  if (target) {
    const client = new RemoteSwarmflowClient(target);
    try {
      return await work(client.knowledge);
    } finally {
      await client.close();
    }
  }
  return withDatabase((db) => work(new KnowledgeApi(db, loadConfig().tenantId, deploymentEmbedder)));
}

/** `swarmflow knowledge …`: the tenant's knowledge base (pgvector). */
export function knowledgeCommands(program: Command): void {
  const knowledge = program
    .command('knowledge')
    .description(
      "the tenant's knowledge base: semantic search of routines, agents, results, runs and documents",
    );

  knowledge
    .command('add <file>')
    .description(
      'add a text or Markdown document, split into overlapping chunks; the same --id again replaces it',
    )
    .option('--title <title>', 'its title (default: the file name)')
    .option('--id <id>', 'its id (default: the file name without its extension)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { title?: string; id?: string; json?: boolean }) => {
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new Error(`cannot read ${file}: ${error.message}`);
      });
      const name = basename(file);
      const document = parseInput(
        KnowledgeDocumentInput,
        {
          id: options.id ?? basename(name, extname(name)).replace(/[^A-Za-z0-9._\-/:]+/g, '-'),
          title: options.title ?? name,
          text,
        },
        'document',
      );
      const added = await withKnowledge((base) => base.addDocument(document));
      if (options.json) printJson(added);
      else
        process.stdout.write(
          `added document ${added.id}: ${added.chunks} chunks (${added.embedded} embedded)\n`,
        );
    });

  knowledge
    .command('search <query>')
    .description('find the knowledge most like the query, best first')
    .option('--kinds <kinds>', `only these, comma-separated: ${KnowledgeKind.options.join(', ')}`)
    .option('--limit <n>', 'at most this many hits (default 10)')
    .option('--json', 'print JSON')
    .action(async (query: string, options: { kinds?: string; limit?: string; json?: boolean }) => {
      const args = parseInput(
        SearchArguments,
        { '<query>': query, '--kinds': options.kinds, '--limit': options.limit },
        'arguments',
      );
      const hits = await withKnowledge((base) =>
        base.search({
          query: args['<query>'],
          limit: args['--limit'],
          ...(args['--kinds'] ? { kinds: args['--kinds'] } : {}),
        }),
      );
      if (options.json) return printJson(hits);
      printTable(
        hits.map((hit) => ({
          score: hit.score.toFixed(3),
          kind: hit.kind,
          source: hit.chunk > 0 ? `${hit.sourceId}#${hit.chunk}` : hit.sourceId,
          title: hit.title,
          text: oneLine(hit.content, 80),
        })),
      );
    });

  knowledge
    .command('list')
    .description("list the knowledge base's sources, newest first")
    .option('--kinds <kinds>', `only these, comma-separated: ${KnowledgeKind.options.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (options: { kinds?: string; json?: boolean }) => {
      const args = parseInput(ListArguments, { '--kinds': options.kinds }, 'arguments');
      const entries = await withKnowledge((base) =>
        base.list(args['--kinds'] ? { kinds: args['--kinds'] } : {}),
      );
      if (options.json) return printJson(entries);
      printTable(
        entries.map((entry) => ({
          kind: entry.kind,
          source: entry.sourceId,
          title: entry.title,
          chunks: entry.chunks,
          embedder: entry.embedder,
          updated: entry.updatedAt,
        })),
      );
    });

  knowledge
    .command('remove <id>')
    .description('remove a document')
    .action(async (id: string) => {
      const removed = await withKnowledge((base) => base.removeDocument(id));
      if (!removed)
        throw new Error(`the knowledge base has no document "${id}": see swarmflow knowledge list`);
      process.stdout.write(`removed document ${id}\n`);
    });

  knowledge
    .command('reindex')
    .description("embed the tenant's knowledge again with the configured embedder (after changing it)")
    .action(async () => {
      const result = await withKnowledge((base) => base.reindex());
      process.stdout.write(`reindexed: ${result.embedded} embedded, ${result.removed} removed\n`);
    });
}

function oneLine(text: string, length: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

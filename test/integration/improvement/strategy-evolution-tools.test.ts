import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImprovementActivities } from '../../../activities/improvement/index.ts';
import { createTier3Dependencies, type Tier3Dependencies } from '../../../activities/tier3/index.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { evidenceOf, reason } from '../../support/optimizer-context.ts';
import { serverBin } from '../tier3/support/mcp-servers.ts';

/**
 * Strategy evolution reads the tools the deployment really offers: the improvement activity lists
 * them from the worker's MCP pool (here server-everything, spawned from its installed bin), and a
 * step whose failures say it could not add numbers is given the server's sum tool.
 */

let database: TestDatabase;
let tier3: Tier3Dependencies;

beforeAll(async () => {
  database = await createTestDatabase();
  tier3 = createTier3Dependencies(
    DeploymentConfig.parse({
      models: { thinker: { provider: 'scripted', turns: [{ text: 'unused' }] } },
      defaultModel: 'thinker',
      mcpServers: {
        everything: { command: serverBin('mcp-server-everything'), args: ['stdio'] },
        broken: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
      },
    }),
  );
});
afterAll(async () => {
  await tier3?.pool.close();
  await database?.drop();
});

describe('strategy evolution in an improvement cycle', { timeout: 60_000 }, () => {
  it('is offered the MCP tools of the deployment, and a server that cannot list them becomes a note', async () => {
    const activities = createImprovementActivities({ db: database.db, tier3 });
    const definition = {
      id: 'adder',
      body: {
        kind: 'sequence' as const,
        steps: [{ id: 'add', prompt: 'What is {{ a }} plus {{ b }}?', resultVariable: 'sum' }],
      },
    };
    const failing = (a: number, b: number) => ({
      input: { a, b },
      output: { a, b, sum: 'I cannot get the sum of these numbers: I have no access to a calculator' },
      score: 0,
      reasons: [reason('expected the sum, got a refusal')],
    });
    const proposed = await activities.proposeCandidates({
      evidence: evidenceOf(definition, [failing(2, 3), failing(40, 2)]),
      optimizers: ['strategyEvolution'],
      budgetCredits: 10,
    });

    expect(proposed.candidates).toHaveLength(1);
    expect(proposed.candidates[0]?.change).toMatch(
      /^step add: conversational → reasoning with tools .*everything\/get-sum/,
    );
    const body = proposed.candidates[0]?.definition.body;
    expect(body?.kind === 'sequence' && body.steps[0]).toMatchObject({
      strategy: 'reasoning',
      tools: expect.arrayContaining(['everything/get-sum']),
    });
    expect(proposed.notes).toEqual([
      expect.stringMatching(/^the tools of MCP server broken could not be listed/),
    ]);
  });
});

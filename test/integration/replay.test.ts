import { readdir, readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { quietTemporalLogs } from '../../workers/logging.ts';

quietTemporalLogs();

const historiesDir = new URL('../histories/', import.meta.url);
const histories = (await readdir(historiesDir)).filter((name) => name.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories)('%s replays without nondeterminism', async (name) => {
    const { workflowId, history } = JSON.parse(await readFile(new URL(name, historiesDir), 'utf8'));
    const code = await readFile(inject('workflowBundlePath'), 'utf8');
    await expect(
      Worker.runReplayHistory({ workflowBundle: { code } }, history, workflowId),
    ).resolves.toBeUndefined();
  });
});

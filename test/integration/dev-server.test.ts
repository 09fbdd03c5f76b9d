import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { describe, expect, inject, it } from 'vitest';
import { devServerStatus, startDevServer, stopDevServer } from '../../client/server/dev-server.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';

const newHome = (name: string) => mkdtemp(join(inject('testDataDir'), `${name}-`));

describe('Temporal dev server', () => {
  it('runs detached with the custom search attributes, and stops', async () => {
    const home = await newHome('detached');
    const server = await startDevServer({ home, detached: true });

    const status = await devServerStatus(home);
    expect(status).toEqual({ running: true, pid: server.pid, address: server.address });

    const connection = await Connection.connect({ address: server.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      for (const key of Object.values(SearchAttributes)) expect(customAttributes).toHaveProperty(key.name);
    } finally {
      await connection.close();
    }

    expect(await stopDevServer(home)).toEqual({ stopped: true, pid: server.pid });
    expect(await devServerStatus(home)).toEqual({ running: false });
    expect(await stopDevServer(home)).toEqual({ stopped: false });
  });

  it('reports a state file whose process is gone as not running', async () => {
    const home = await newHome('stale');
    const deadPid = 2 ** 22 + 1;
    await writeFile(join(home, 'temporal.json'), JSON.stringify({ pid: deadPid, address: '127.0.0.1:1' }));

    expect(await devServerStatus(home)).toEqual({ running: false });
    expect(await stopDevServer(home)).toEqual({ stopped: false });
  });
});

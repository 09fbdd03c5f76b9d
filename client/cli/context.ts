import { loadConfig } from '../../schema/config.ts';
import { SwarmflowClient } from '../sdk.ts';

/** Connects a client from the environment, runs `work`, and always closes the client. */
export async function withClient<T>(work: (client: SwarmflowClient) => Promise<T>): Promise<T> {
  const client = await SwarmflowClient.connect({ config: loadConfig() });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

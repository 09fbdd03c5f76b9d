import { type AddressInfo, createServer } from 'node:net';
import { type Logger, Runtime } from '@temporalio/worker';

export interface TemporalRuntimeOptions {
  /** Where the runtime (and workers' and workflows' sinks) log; without it, Temporal's default logger. */
  logger?: Logger;
  /**
   * `host:port` for the Temporal core's Prometheus exporter (serves `/metrics`); keep it internal
   * (loopback): the process's own `/metrics` endpoint serves these metrics with Swarmflow's.
   * Without it, core keeps its metrics to itself.
   */
  prometheusBindAddress?: string;
}

/** The runtime as installed: where its metrics can be scraped, if anywhere. */
export interface InstalledTemporalRuntime {
  prometheusAddress?: string;
}

let installed: InstalledTemporalRuntime | undefined;

/**
 * Installs the process's Temporal runtime: the one place that calls `Runtime.install`. Must run
 * before the process's first connection or worker. Core's durations are exported in seconds and
 * its counters end in `_total`, as Prometheus names them (e.g. `temporal_workflow_task_schedule_to_start_latency_seconds`).
 * @throws IllegalStateError when the runtime is already installed (or was made by a connection first).
 */
export function installTemporalRuntime(options: TemporalRuntimeOptions = {}): InstalledTemporalRuntime {
  const { logger, prometheusBindAddress } = options;
  Runtime.install({
    ...(logger ? { logger } : {}),
    ...(prometheusBindAddress
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: {
                bindAddress: prometheusBindAddress,
                countersTotalSuffix: true,
                unitSuffix: true,
                useSecondsForDurations: true,
              },
            },
          },
        }
      : {}),
  });
  installed = prometheusBindAddress ? { prometheusAddress: prometheusBindAddress } : {};
  return installed;
}

/** The runtime this process installed through installTemporalRuntime, if it did. */
export function installedTemporalRuntime(): InstalledTemporalRuntime | undefined {
  return installed;
}

/** A loopback `host:port` nobody listens on now, for core's exporter. */
export async function freeLoopbackAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/**
 * The Temporal core's metrics in Prometheus text format, scraped from its exporter at `address`;
 * empty when there is none. A scrape that fails says so in a comment rather than failing `/metrics`.
 */
export async function scrapeTemporalMetrics(address: string | undefined, timeoutMs = 2_000): Promise<string> {
  if (address === undefined) return '';
  try {
    const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return `# temporal core metrics unavailable: HTTP ${response.status}\n`;
    return await response.text();
  } catch (error) {
    return `# temporal core metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { describeCause } from './errors.ts';

export interface DatabaseHealthOptions {
  /** `host:port` of the database, as logs name it (never the URL: it may hold a password). */
  address: string;
  /** Resolves when the database answers (`select 1`), rejects when it does not. */
  probe(): Promise<unknown>;
  /** Receives one line per change of state: lost, then back. */
  log(line: string): void;
  /** Time between probes while the database is unreachable. */
  probeIntervalMs?: number;
  now?: () => number;
}

const defaultProbeIntervalMs = 1_000;

/**
 * Whether a process's database is reachable, as its activities find out. A lost connection
 * marks it unreachable (logged once) and starts probing it; the first probe that succeeds marks
 * it reachable again (logged once) and wakes whoever waits for it.
 */
export class DatabaseHealth {
  readonly #options: Required<DatabaseHealthOptions>;
  #lostAt: number | undefined;
  #recovered: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: DatabaseHealthOptions) {
    this.#options = { probeIntervalMs: defaultProbeIntervalMs, now: Date.now, ...options };
  }

  get address(): string {
    return this.#options.address;
  }

  get reachable(): boolean {
    return this.#lostAt === undefined;
  }

  /** Records that a connection to the database failed; logs and starts probing if it was reachable. */
  reportLost(cause: unknown): void {
    if (this.#lostAt !== undefined || this.#stopped) return;
    this.#lostAt = this.#options.now();
    this.#options.log(
      `database ${this.address} is unreachable (${describeCause(cause)}); activities that need it are retried until it is back`,
    );
    this.#recovered = this.#probeUntilBack();
  }

  /** Probes the database now; when it does not answer, records it as lost. */
  async check(): Promise<boolean> {
    if (!this.reachable) return false;
    try {
      await this.#options.probe();
      return true;
    } catch (error) {
      this.reportLost(error);
      return false;
    }
  }

  /** Resolves true once the database is reachable, false if `timeoutMs` passes (or `signal` aborts) first. */
  async waitUntilReachable(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.reachable) return true;
    const timedOut = sleep(Math.max(0, timeoutMs), false, { signal, ref: false }).catch(() => false);
    return Promise.race([this.#recovered.then(() => this.reachable), timedOut]);
  }

  /** Stops probing; waiters are left to their timeouts. */
  stop(): void {
    this.#stopped = true;
  }

  async #probeUntilBack(): Promise<void> {
    while (!this.#stopped) {
      await sleep(this.#options.probeIntervalMs);
      const answered = await this.#options.probe().then(
        () => true,
        () => false,
      );
      if (answered && !this.#stopped) {
        const downMs = this.#options.now() - (this.#lostAt ?? this.#options.now());
        this.#lostAt = undefined;
        this.#options.log(
          `database ${this.address} is reachable again after ${(downMs / 1000).toFixed(1)} s`,
        );
        return;
      }
    }
  }
}

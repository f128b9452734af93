// The shape of a troupe command and the process lifecycle helpers commands share.
import {
  parseConfig, helpText, configureLogging, logger, generatedSecrets, applyStoredSecrets, loadSecrets, secretsPath, exposureProblems, projectRoot, shownPath, ConfigError,
  type GroupName, type ExtraOption, type Parsed, type Serving, type Config,
} from '../lib/mod.ts';

export interface Command<G extends GroupName = GroupName> {
  name: string;
  summary: string;
  usage: string;
  description: string;
  groups: readonly G[];
  flags?: Record<string, ExtraOption>;
  /**
   * What the command serves, given its settings: it refuses to start when that would expose a
   * weak secret beyond loopback (lib/exposure.ts).
   */
  serves?(config: Parsed<G>['config']): Serving;
  run(parsed: Parsed<G>): Promise<number | void>;
}

export function command<G extends GroupName>(c: Command<G>): Command<G> {
  return c;
}

export async function runCommand(c: Command, argv: string[]): Promise<number> {
  const parsed = parseConfig(c.groups, argv, c.flags ?? {});
  if (parsed.help) {
    console.log(helpText(c.usage, c.description, c.groups, c.flags ?? {}));
    return 0;
  }
  const { logLevel, logFormat } = parsed.config as { logLevel?: string; logFormat?: string };
  if (logLevel) configureLogging(logLevel, logFormat);
  await resolveSecrets(c, parsed.config as Partial<Config>);
  return (await c.run(parsed)) ?? 0;
}

/**
 * Generated secrets the flags and environment left unset come from <data-dir>/secrets.env
 * (created on first start); then a command that serves checks that nothing weak is exposed.
 */
async function resolveSecrets(c: Command, config: Partial<Config>): Promise<void> {
  const file = secretsPath({ dataDir: config.dataDir ?? 'data' });
  const needed = generatedSecrets(c.groups).some(({ key }) => (config as Record<string, unknown>)[key] === '');
  if (needed) {
    const { values, generated } = await loadSecrets(file);
    applyStoredSecrets(config, values);
    if (generated.length) {
      const all = generated.length === generatedSecrets().length;
      logger('secrets').info(all ? {} : { generated }, `generated ${all ? 'the secrets (NATS passwords, storage secret)' : 'missing secrets'} into ${shownPath(file)}; later starts reuse them (troupe secrets --help)`);
    }
  }
  const serving = c.serves?.(config as never);
  if (!serving) return;
  const problems = exposureProblems(config, serving, shownPath(file));
  if (problems.length) throw new ConfigError(`refusing to start:\n  - ${problems.join('\n  - ')}\n`);
}

export interface Stoppable {
  stop(): Promise<void>;
  /** How long stop() may take before the exit goes on without it (default 10 s). */
  stopWithinMs?: number;
}

/** Thrown out of a command's start-up when a signal stopped it half-way; exits 0. */
export class StoppedWhileStarting extends Error {
  constructor() {
    super('stopped while starting');
  }
}

/**
 * The parts a long-running command started, stopped in reverse order on SIGINT or SIGTERM, also
 * when the signal arrives while it is still starting. A second signal forces the exit.
 */
export class Lifecycle {
  private readonly parts: Stoppable[] = [];
  private stopped?: Promise<void>;
  private readonly log = logger('lifecycle');

  constructor() {
    const onSignal = (signal: string) => {
      if (this.stopped) {
        this.log.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      this.log.info({ signal }, 'stopping');
      void this.stop();
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    // a closed terminal or pipe must not crash us before we have stopped what we started
    process.stdout.on('error', () => {});
    process.stderr.on('error', () => {});
  }

  get stopping(): boolean {
    return this.stopped !== undefined;
  }

  /** Adds a started part; a part that finishes starting after a stop request is stopped at once. */
  async add<T extends Stoppable>(part: T): Promise<T> {
    if (this.stopped) {
      await stopOne(part, this.log);
      throw new StoppedWhileStarting();
    }
    this.parts.push(part);
    return part;
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      for (const p of [...this.parts].reverse()) await stopOne(p, this.log);
      this.log.info({}, 'stopped');
    })();
    return this.stopped;
  }

  /** Resolves with exit code 0 once a signal has stopped everything. */
  async wait(): Promise<number> {
    while (!this.stopped) await new Promise((r) => setTimeout(r, 100));
    await this.stopped;
    return 0;
  }
}

async function stopOne(p: Stoppable, log: ReturnType<typeof logger>): Promise<void> {
  try {
    // a part that cannot stop (say, draining a NATS connection to a dead server) must not hang the exit
    const within = p.stopWithinMs ?? 10_000;
    await Promise.race([p.stop(), new Promise((_, reject) => setTimeout(() => reject(new Error(`did not stop within ${within / 1000} s`)), within).unref())]);
  } catch (e) {
    log.error({ err: e }, 'error while stopping');
  }
}

// Where the client reads and writes. Commands never touch process.stdout or console directly, so
// tests run them in-process with captured output and the interactive mode with piped streams.
import readline from 'node:readline';
import { PassThrough } from 'node:stream';

export interface ClientIo {
  /** One line of results (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Both ends are a terminal: prompts, hidden passwords, line editing. */
  terminal: boolean;
  /** Calls fn on Ctrl-C / SIGTERM; returns the undo. */
  onInterrupt(fn: () => void): () => void;
}

export function processIo(): ClientIo {
  // a closed pipe (| head) must end quietly, not crash
  process.stdout.on('error', () => {});
  return {
    out: (line) => void process.stdout.write(line + '\n'),
    err: (line) => void process.stderr.write(line + '\n'),
    input: process.stdin,
    output: process.stdout,
    terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    onInterrupt(fn) {
      process.on('SIGINT', fn);
      process.on('SIGTERM', fn);
      return () => {
        process.off('SIGINT', fn);
        process.off('SIGTERM', fn);
      };
    },
  };
}

/** Output kept in memory (tests); `input` is a stream the test writes to, `screen` what went to `output`. */
export function memoryIo(opts: { terminal?: boolean } = {}): ClientIo & { stdout: string[]; stderr: string[]; input: PassThrough; output: PassThrough; screen(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output = new PassThrough();
  let screen = '';
  output.on('data', (b: Buffer) => (screen += b.toString()));
  return {
    stdout, stderr, output,
    input: new PassThrough(),
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    terminal: opts.terminal ?? false,
    onInterrupt: () => () => {},
    screen: () => screen,
  };
}

/** Reads one line from the input (a prompt on a terminal); null at the end of input. */
export function askLine(io: ClientIo, prompt: string, opts: { hidden?: boolean } = {}): Promise<string | null> {
  const rl = readline.createInterface({ input: io.input, output: io.terminal ? io.output : undefined, terminal: io.terminal });
  if (opts.hidden && io.terminal) {
    // print the prompt, then echo nothing of what is typed
    io.output.write(prompt);
    (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput = () => {};
  }
  return new Promise((resolve) => {
    let answered = false;
    rl.once('close', () => {
      if (!answered) resolve(null);
    });
    rl.question(opts.hidden && io.terminal ? '' : io.terminal ? prompt : '', (answer) => {
      answered = true;
      rl.close();
      if (opts.hidden && io.terminal) io.output.write('\n');
      resolve(answer);
    });
  });
}

/** A password: the flag, TROUPE_PASSWORD, else asked on a terminal (hidden). */
export async function readPassword(io: ClientIo, given: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (given) return given;
  if (env.TROUPE_PASSWORD) return env.TROUPE_PASSWORD;
  if (!io.terminal) throw new Error('no password: pass --password, set TROUPE_PASSWORD, or run on a terminal');
  const answer = await askLine(io, 'password: ', { hidden: true });
  if (!answer) throw new Error('no password given');
  return answer;
}

/** Calls fn with each line of the input (commands typed while something runs); returns the undo. */
export function onLines(io: ClientIo, fn: (line: string) => void): () => void {
  const rl = readline.createInterface({ input: io.input, terminal: false });
  rl.on('line', fn);
  return () => rl.close();
}

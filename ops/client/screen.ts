// The terminal side of `troupe client chat`: input lines one at a time, output that does not
// tear the line being typed, the prompt, questions (a hidden one for the password). On a
// terminal it uses readline's line editing; on pipes it reads lines and prints plain lines.
import readline from 'node:readline';
import type { ClientIo } from './io.ts';

export interface ScreenHooks {
  /** A key that edits the line being typed (not Enter, not a control key). */
  onTyping(line: string): void;
  /** Ctrl-C on the terminal. */
  onInterrupt(): void;
  /** A submitted line that is replaced by its own echo (a message shown again in sequence). */
  echoes(line: string): boolean;
}

export class Screen {
  private readonly rl: readline.Interface;
  private readonly lines: string[] = [];
  private waiter?: (line: string | null) => void;
  private ended = false;
  private muted = false;
  private printing: Promise<void> = Promise.resolve();
  /** No more prompts (quitting). */
  quiet = false;

  constructor(private readonly io: ClientIo, private readonly hooks: ScreenHooks) {
    this.rl = readline.createInterface({ input: io.input, output: io.terminal ? io.output : undefined, terminal: io.terminal, prompt: 'troupe> ' });
    this.rl.on('line', (line) => this.submitted(line));
    this.rl.on('close', () => this.end());
    this.rl.on('SIGINT', () => hooks.onInterrupt());
    if (io.terminal) {
      const rl = this.rl as unknown as { _writeToOutput(s: string): void };
      const write = rl._writeToOutput.bind(this.rl);
      // a hidden question echoes nothing
      rl._writeToOutput = (s: string) => {
        if (!this.muted) write(s);
      };
      io.input.on('keypress', (s: string | undefined, key: { ctrl?: boolean; meta?: boolean; name?: string } | undefined) => {
        if (!s || key?.ctrl || key?.meta || key?.name === 'return' || key?.name === 'enter') return;
        hooks.onTyping(this.rl.line);
      });
    }
  }

  get terminal(): boolean {
    return this.io.terminal;
  }

  /** The next input line; null at the end of input. */
  next(): Promise<string | null> {
    if (this.lines.length) return Promise.resolve(this.lines.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((r) => (this.waiter = r));
  }

  /** Stops reading: next() answers null from now on. */
  end(): void {
    this.ended = true;
    this.waiter?.(null);
    this.waiter = undefined;
  }

  close(): void {
    this.end();
    this.rl.close();
  }

  /** Asks a question and waits for the next line (a hidden answer on a terminal). */
  async ask(question: string, hidden = false): Promise<string | null> {
    if (this.io.terminal) {
      this.io.output.write(question);
      this.muted = hidden;
    }
    const answer = await this.next();
    if (this.muted) this.io.output.write('\n');
    this.muted = false;
    return answer;
  }

  /** Prints a line above the one being typed. */
  say(line: string): void {
    if (!this.io.terminal) {
      this.io.out(line);
      return;
    }
    readline.clearLine(this.io.output, 0);
    readline.cursorTo(this.io.output, 0);
    this.io.output.write(line + '\n');
    if (!this.quiet) this.rl.prompt(true);
  }

  /** Prints in the order asked, each line once its work (say, looking up names) is done. */
  later(work: () => Promise<string | undefined> | string | undefined): void {
    this.printing = this.printing.then(work).then((line) => {
      if (line !== undefined) this.say(line);
    }, (e) => this.say(`! ${(e as Error).message}`));
  }

  /** Resolves when everything asked of later() is printed. */
  drained(): Promise<void> {
    return this.printing;
  }

  prompt(text: string): void {
    if (!this.io.terminal || this.quiet) return;
    this.rl.setPrompt(text);
    this.rl.prompt(true);
  }

  private submitted(line: string): void {
    if (this.io.terminal && this.hooks.echoes(line)) {
      // the typed line makes way for its echo
      const width = (this.io.output as { columns?: number }).columns;
      const cols = width && width > 0 ? width : 80;
      const rows = Math.max(1, Math.ceil((this.rl.getPrompt().length + line.length) / cols));
      readline.moveCursor(this.io.output, 0, -rows);
      readline.clearScreenDown(this.io.output);
    }
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(line);
    } else this.lines.push(line);
  }
}

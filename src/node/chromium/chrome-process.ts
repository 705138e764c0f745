import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { ConnectionTransport } from 'puppeteer-core';

/**
 * Chromium started with --remote-debugging-pipe as the leader of its own process group, so that
 * the browser and every process it starts (GPU process, renderers, zygote) end with one kill.
 *
 * Nothing here keeps Node alive while the browser is idle: the child, its stderr and the
 * DevTools pipes are unref'd, and the read pipe is ref'd only while a DevTools request is waiting
 * for its answer. A script that forgets BrowserSession.close() therefore still exits when its own
 * work is done (its 'exit' handler then kills the browser: see process-exit.ts). Puppeteer's own
 * launcher keeps the browser ref'd, which is why the library starts Chromium itself and hands
 * puppeteer.connect() the pipe.
 */
export class ChromeProcess {
  /** Settles when the browser process has exited (or failed to start). */
  readonly exited: Promise<void>;
  readonly transport: PipeTransport;
  private stderrTail = '';
  private startError: Error | null = null;
  private hasExited = false;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        this.startError = error;
        resolve();
      });
    }).then(() => {
      this.hasExited = true;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    const [, , stderr, toBrowser, fromBrowser] = child.stdio as unknown as (Socket | null)[];
    this.transport = new PipeTransport(toBrowser!, fromBrowser!);
    child.unref();
    stderr!.unref();
    toBrowser!.unref();
  }

  /**
   * Starts `executablePath` with `args` (which must not name another remote-debugging channel).
   * `tmpdir` becomes the browser's TMPDIR: Chromium leaves org.chromium.Chromium.* folders there
   * when it is killed, so they belong inside a folder the library deletes.
   */
  static start(executablePath: string, args: readonly string[], tmpdir: string): ChromeProcess {
    // fd 3 is what the browser reads DevTools commands from, fd 4 where it writes answers and events.
    const child = spawn(executablePath, [...args, '--remote-debugging-pipe'], {
      env: { ...process.env, TMPDIR: tmpdir },
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    return new ChromeProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why the browser is gone, for error messages: the spawn error or the end of its stderr. */
  failure(): string {
    if (this.startError) return this.startError.message;
    const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return tail ? `its stderr ends: ${tail}` : 'it printed nothing on stderr';
  }

  /**
   * Kills the browser's whole process group at once with SIGKILL. Synchronous, so that it can run
   * in a process 'exit' handler; harmless when everything is already gone.
   */
  kill(): void {
    this.transport.close();
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone
    }
  }

  /** Waits up to `graceMs` for the browser to exit by itself (after Browser.close), then kills its group. */
  async stop(graceMs: number): Promise<void> {
    this.child.ref(); // Node stays up until the browser is really gone
    if (!this.hasExited) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    this.kill(); // also reaps helpers (GPU process, zygote) that outlive the browser process
    await this.exited;
  }
}

/**
 * Puppeteer's ConnectionTransport over Chromium's DevTools pipe: JSON messages ended by a NUL byte.
 * It counts the requests that await an answer and keeps Node alive exactly while there are some.
 */
class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  private readonly waiting = new Set<number>();
  private partial: Buffer[] = [];
  private closed = false;

  constructor(
    private readonly toBrowser: Socket,
    private readonly fromBrowser: Socket,
  ) {
    fromBrowser.on('data', (chunk: Buffer) => this.receive(chunk));
    fromBrowser.on('close', () => this.onclose?.());
    // A broken pipe surfaces as the browser's exit and the 'close' above, not as an exception.
    fromBrowser.on('error', () => undefined);
    toBrowser.on('error', () => undefined);
    this.updateRef();
  }

  send(message: string): void {
    if (this.closed) return;
    const id = requestId(message);
    if (id !== null) this.waiting.add(id);
    this.updateRef();
    this.toBrowser.write(`${message}\0`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting.clear();
    this.toBrowser.destroy();
    this.fromBrowser.destroy();
  }

  private receive(chunk: Buffer): void {
    let end = chunk.indexOf(0);
    if (end === -1) {
      this.partial.push(chunk);
      return;
    }
    let start = 0;
    let head: Buffer = Buffer.concat([...this.partial, chunk.subarray(0, end)]);
    this.partial = [];
    while (end !== -1) {
      const message = head.toString('utf8');
      // An answer (a message that starts with its id; events start with "method") ends a wait.
      const answered = /^\{"id":(\d+)/.exec(message);
      if (answered) this.waiting.delete(Number(answered[1]));
      // Delivered on a later turn, as puppeteer's own transports do; the immediate keeps Node up until then.
      setImmediate(() => this.onmessage?.(message));
      start = end + 1;
      end = chunk.indexOf(0, start);
      if (end !== -1) head = chunk.subarray(start, end);
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
    this.updateRef();
  }

  private updateRef(): void {
    if (this.closed) return;
    if (this.waiting.size > 0) this.fromBrowser.ref();
    else this.fromBrowser.unref();
  }
}

/** The id of a DevTools request (puppeteer writes it after the params, so it is read from the end). */
function requestId(message: string): number | null {
  const tail = /"id":(\d+)(?:,"sessionId":"[^"]*")?\}$/.exec(message.slice(-120));
  if (tail) return Number(tail[1]);
  const parsed = JSON.parse(message) as { id?: unknown };
  return typeof parsed.id === 'number' ? parsed.id : null;
}

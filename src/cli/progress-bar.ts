/** Progress bars on stderr: `forecast`'s per epoch (loss, validation loss, time left) and `bench`'s per timed run. */

export interface EpochProgress {
  update(epoch: number, loss: number, valLoss: number | undefined): void;
  stop(): void;
}

type CliProgress = typeof import('cli-progress');

const kSilent: EpochProgress = { update: () => {}, stop: () => {} };

/**
 * A cli-progress bar (an optional peer dependency, imported on first use, so that installing the
 * library brings no package a browser app never uses). Without it, one line per epoch with the
 * same figures, after a note saying how to get the bar. Nothing when `enabled` is false (stderr
 * not a terminal, or --json).
 */
export async function epochProgress(enabled: boolean, epochs: number, warn: (line: string) => void): Promise<EpochProgress> {
  if (!enabled) return kSilent;
  const cliProgress = await loadCliProgress('a line per epoch', warn);
  if (!cliProgress) return epochLines(epochs, warn);
  const bar = new cliProgress.SingleBar(
    { format: 'epoch {value}/{total} {bar} loss {loss}  val loss {val}  {eta_formatted} left', stream: process.stderr, etaBuffer: 20, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(epochs, 0, { loss: '-', val: '-' });
  return {
    update: (epoch, loss, valLoss) => bar.update(epoch, { loss: loss.toPrecision(4), val: valLoss === undefined ? '-' : valLoss.toPrecision(4) }),
    stop: () => bar.stop(),
  };
}

/** cli-progress, or null (after a note saying what shows instead and how to get the bar) where it is not installed. */
async function loadCliProgress(instead: string, warn: (line: string) => void): Promise<CliProgress | null> {
  try {
    return (await import('cli-progress')).default as unknown as CliProgress;
  } catch {
    warn(`webgpu-lstm: note: ${instead}; \`npm install cli-progress\` shows a progress bar instead`);
    return null;
  }
}

/** `bench`'s progress: done of total steps (warm-ups and timed runs), and what ran last. */
export interface StepProgress {
  update(done: number, total: number, what: string): void;
  stop(): void;
}

/** A bar over benchmark()'s steps; without cli-progress a line per message. Nothing when `enabled` is false. */
export async function stepProgress(enabled: boolean, warn: (line: string) => void): Promise<StepProgress> {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const cliProgress = await loadCliProgress('a line per step', warn);
  // total is 0 until the engines are open (benchmark() cannot count the steps before that).
  if (!cliProgress) return { update: (done, total, what) => warn(total > 0 ? `[${done}/${total}] ${what}` : what), stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: '{bar} {value}/{total} {what}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total, what) {
      if (!started && total > 0) {
        bar.start(total, done, { what });
        started = true;
      } else if (started) bar.update(done, { what });
    },
    stop: () => (started ? bar.stop() : undefined),
  };
}

function epochLines(epochs: number, warn: (line: string) => void): EpochProgress {
  const started = performance.now();
  return {
    update(epoch, loss, valLoss) {
      const secondsLeft = ((performance.now() - started) / 1000 / epoch) * (epochs - epoch);
      warn(`epoch ${epoch}/${epochs}  loss ${loss.toPrecision(4)}  val loss ${valLoss === undefined ? '-' : valLoss.toPrecision(4)}  ${secondsLeft.toFixed(0)} s left`);
    },
    stop: () => {},
  };
}

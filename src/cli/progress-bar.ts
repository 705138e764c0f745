/** The per-epoch progress of `forecast` on stderr: loss, validation loss and time left. */

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
  let cliProgress: CliProgress;
  try {
    cliProgress = (await import('cli-progress')).default as unknown as CliProgress;
  } catch {
    warn('webgpu-lstm: note: a line per epoch; `npm install cli-progress` shows a progress bar instead');
    return epochLines(epochs, warn);
  }
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

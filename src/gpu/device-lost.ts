import { LstmError } from '../core/errors.js';

/** Why a device was lost, as GPUDeviceLostInfo says it ('destroyed' after device.destroy()). */
export interface DeviceLoss {
  readonly reason: string;
  readonly message: string;
}

/**
 * Follows one device's `lost` promise, so that runners can check it synchronously before any GPU
 * work and make pending work reject the moment the device goes, whatever the implementation does
 * with the promises it had handed out (no call may hang on a device that is gone).
 */
export class DeviceWatch {
  /** Resolves when the device is lost; never rejects. */
  readonly lost: Promise<DeviceLoss>;
  private loss: DeviceLoss | null = null;
  private readonly pending = new Set<() => void>();

  constructor(device: GPUDevice) {
    this.lost = device.lost.then((info) => {
      this.loss = { reason: info.reason, message: info.message };
      for (const reject of this.pending) reject();
      this.pending.clear();
      return this.loss;
    });
  }

  /** The DEVICE_LOST error for `what`, or null while the device is alive. */
  error(what: string): LstmError | null {
    if (!this.loss) return null;
    return new LstmError(
      'DEVICE_LOST',
      `${what}: the GPU device was lost (${this.loss.reason}: ${this.loss.message}); load the model on a new backend, or on the CPU`,
    );
  }

  /**
   * Settles as `work` does, or rejects with DEVICE_LOST as soon as the device is lost. The listener
   * is removed when `work` settles, so nothing of a finished call stays reachable from the device.
   */
  race<T>(work: Promise<T>, what: string): Promise<T> {
    const lostAlready = this.error(what);
    if (lostAlready) {
      // The work was started and will fail too: observe its rejection, or Node reports it unhandled.
      work.catch(() => {});
      return Promise.reject(lostAlready);
    }
    return new Promise<T>((resolve, reject) => {
      const onLost = () => reject(this.error(what));
      this.pending.add(onLost);
      work.then(resolve, reject).finally(() => this.pending.delete(onLost));
    });
  }

  /**
   * Whether the device turns out to be lost within `ms`. A mapAsync aborted by device.destroy()
   * rejects about a millisecond before `lost` resolves (measured in Chromium), so a failure is
   * only blamed on the device once the device says so.
   */
  async lostWithin(ms: number): Promise<boolean> {
    if (this.loss) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const lost = await Promise.race([this.lost.then(() => true as const), timeout]);
    clearTimeout(timer);
    return lost;
  }
}

const watches = new WeakMap<GPUDevice, DeviceWatch>();

/** The one watch of a device, shared by its backend and every runner on it. */
export function watchDevice(device: GPUDevice): DeviceWatch {
  let watch = watches.get(device);
  if (!watch) {
    watch = new DeviceWatch(device);
    watches.set(device, watch);
  }
  return watch;
}

// Replay: each run keeps a bounded record of its curve over the epochs, so a slider can go
// back to "epoch 20, still straight". Memory is bounded by thinning: at most MAX_FRAMES
// frames per run; when full, every other frame is dropped and only every 2nd, 4th, …
// epoch is kept from then on — evenly spread over the whole run, whatever its length.
// A run's length is known when it starts, so it starts at the stride its thinning would
// reach by its last epoch: it ends with the same frames, and the worker never spends a
// forward pass on a frame that would be dropped (for the question's 500 epochs, 126
// frames instead of 326).
// A frame is the curve on the chart's grid (≤ 240 points × 2 doubles ≈ 3.8 KB), so a run
// holds at most about 0.8 MB.

export const MAX_FRAMES = 200;

export class Recording {
  constructor() {
    this.clear();
  }

  /** Empties the record for a run of `epochs` epochs (0: not known yet). */
  clear(epochs = 0) {
    /** [{ epoch, curve, collapseLine }], epochs increasing. */
    this.frames = [];
    /** Only epochs that are multiples of this are recorded: the least power of two at
     * which epochs 0..=`epochs` fit in MAX_FRAMES, where thinning would end. */
    this.stride = 1;
    while (Math.floor(epochs / this.stride) + 1 > MAX_FRAMES) this.stride *= 2;
  }

  /** Whether a frame of `epoch` would be kept. */
  due(epoch) {
    const last = this.frames[this.frames.length - 1];
    return epoch % this.stride === 0 && (!last || epoch > last.epoch);
  }

  /**
   * Records a frame `{ epoch, curve, collapseLine }` if it is due and finite. The worker
   * records epochs only (frames without curves) to know which to send; the page records
   * what it is sent: the same epochs in the same order, so both thin alike.
   */
  record(frame) {
    const { epoch, curve } = frame;
    if (epoch % this.stride !== 0 || (curve && !curve.every(Number.isFinite))) return;
    const last = this.frames[this.frames.length - 1];
    if (last && last.epoch === epoch) this.frames[this.frames.length - 1] = frame;
    else if (!last || epoch > last.epoch) this.frames.push(frame);
    if (this.frames.length > MAX_FRAMES) {
      this.stride *= 2;
      this.frames = this.frames.filter((f) => f.epoch % this.stride === 0);
    }
  }

  /** The frame of the latest epoch at or before `epoch`, or null. */
  at(epoch) {
    let found = null;
    for (const frame of this.frames) {
      if (frame.epoch > epoch) break;
      found = frame;
    }
    return found;
  }
}

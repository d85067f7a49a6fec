/** Work that runs at most once per animation frame, however often it is asked for. */
export interface FrameTask {
  request(): void;
  cancel(): void;
}

/**
 * Every frame task shares one requestAnimationFrame callback and runs in the order it was asked
 * for. A task asked for while the frame runs (a chart redraw asked for by the batch just applied)
 * still runs in that frame, after the one that asked: its own rAF would paint it a frame late.
 * A task asked for again after it ran in this frame waits for the next, so none can loop.
 */
let current = new Set<() => void>();
let next = new Set<() => void>();
const ran = new Set<() => void>();
let handle: number | null = null;
let running = false;

function runFrame(): void {
  handle = null;
  running = true;
  for (const task of current) {
    current.delete(task);
    ran.add(task);
    try {
      task();
    } catch (error) {
      // One failing task must not cost the others their frame; the error still surfaces.
      setTimeout(() => {
        throw error;
      });
    }
  }
  running = false;
  ran.clear();
  [current, next] = [next, current];
  if (current.size > 0) schedule();
}

function schedule(): void {
  handle ??= requestAnimationFrame(runFrame);
}

/** Wraps `run` so requests made before a frame share a single run in it. */
export function createFrameTask(run: () => void): FrameTask {
  const task = (): void => run();
  return {
    request() {
      if (running && ran.has(task)) {
        next.add(task);
        return;
      }
      current.add(task);
      if (!running) schedule();
    },
    cancel() {
      current.delete(task);
      next.delete(task);
    },
  };
}

/** A redraw that runs at most once per animation frame, however often it is asked for. */
export interface FrameTask {
  request(): void;
  cancel(): void;
}

/** Wraps `run` so requests made within one frame share a single run on the next frame. */
export function createFrameTask(run: () => void): FrameTask {
  let handle: number | null = null;
  return {
    request() {
      handle ??= requestAnimationFrame(() => {
        handle = null;
        run();
      });
    },
    cancel() {
      if (handle !== null) cancelAnimationFrame(handle);
      handle = null;
    },
  };
}

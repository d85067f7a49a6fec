/**
 * The lines worker: draws the chart's lines on a canvas handed over from the page, so their raster,
 * the costliest part of a frame with hundreds of lines, runs off the main thread. It answers every
 * message once done with it; the page sends the next only then.
 */
import { LINES_DONE, strokeLines, type LinesMessage } from './lines-frame';

let context: OffscreenCanvasRenderingContext2D | null = null;

addEventListener('message', ({ data }: MessageEvent<LinesMessage>) => {
  try {
    if ('canvas' in data) context = data.canvas.getContext('2d');
    else if (context !== null) strokeLines(context, data.frame);
  } finally {
    // Answered even when drawing failed, so the page is never left waiting.
    postMessage(LINES_DONE);
  }
});

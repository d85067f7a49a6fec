/**
 * The lines worker: draws the chart's lines on a canvas handed over from the page, so their raster,
 * the costliest part of a frame with hundreds of lines, runs off the main thread. It answers every
 * message once done with it; the page sends the next only then.
 */
import { strokeLines, type LinesAnswer, type LinesMessage } from './lines-frame';

let context: OffscreenCanvasRenderingContext2D | null = null;

addEventListener('message', ({ data }: MessageEvent<LinesMessage>) => {
  if ('canvas' in data) context = data.canvas.getContext('2d');
  else if (context !== null) strokeLines(context, data.frame);
  postMessage(('canvas' in data ? 'ready' : 'drawn') satisfies LinesAnswer);
});

/** The plot area, in CSS pixels. */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** One picture of the plotted lines, as the lines worker draws it. */
export interface LinesFrame {
  /** The canvas's size in device pixels. */
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  ratio: number;
  area: PlotArea;
  /**
   * Null for a whole picture. Otherwise the picture is a strip over the one drawn before it: the
   * canvas is redrawn right of this x (CSS pixels, on a device pixel's edge), and `coords` hold only
   * the parts of the lines that reach it.
   */
  stripFrom: number | null;
  /** Every line's points as x, y pairs in CSS pixels, one line after another, those of one colour together. */
  coords: Float32Array<ArrayBuffer>;
  /** Each line's end: the point it ends before. */
  lineEnds: Uint32Array<ArrayBuffer>;
  /** The colours in drawing order, and the line each colour's lines end before. */
  colors: string[];
  colorEnds: Uint32Array<ArrayBuffer>;
}

/** What the lines worker is sent: first the canvas it draws on, then frames. */
export type LinesMessage = { canvas: OffscreenCanvas } | { frame: LinesFrame };

/** The worker's answer to each message, once it is done with it. */
export const LINES_DONE = 'done';

/**
 * Draws a frame, clipped to the plot area (and to its strip, if it is one); lines of one colour share
 * a path, since a software-drawn canvas pays for every stroke.
 */
export function strokeLines(context: OffscreenCanvasRenderingContext2D, frame: LinesFrame): void {
  const { canvas } = context;
  const { area, coords, lineEnds, ratio, stripFrom } = frame;
  const left = Math.max(area.left, stripFrom ?? area.left);
  // A new size clears the canvas and resets its state.
  if (canvas.width !== frame.width || canvas.height !== frame.height) Object.assign(canvas, { width: frame.width, height: frame.height });
  else if (stripFrom === null) context.clearRect(0, 0, canvas.width, canvas.height);
  else context.clearRect(stripFrom * ratio, 0, canvas.width - stripFrom * ratio, canvas.height);
  if (lineEnds.length === 0 || left >= area.right) return;
  context.save();
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.beginPath();
  context.rect(left, area.top, area.right - left, area.bottom - area.top);
  context.clip();
  context.lineWidth = 1;
  context.lineJoin = 'round';
  let line = 0;
  let start = 0;
  frame.colors.forEach((color, index) => {
    context.beginPath();
    context.strokeStyle = color;
    for (; line < frame.colorEnds[index]!; line += 1) {
      const end = lineEnds[line]!;
      context.moveTo(coords[2 * start]!, coords[2 * start + 1]!);
      for (let i = start + 1; i < end; i += 1) context.lineTo(coords[2 * i]!, coords[2 * i + 1]!);
      start = end;
    }
    context.stroke();
  });
  context.restore();
}

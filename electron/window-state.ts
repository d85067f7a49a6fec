import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-file';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the window was and how big, kept between runs. */
export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1440, height: 900 };
export const MIN_SIZE = { width: 980, height: 640 };

const SavedState = z.object({
  bounds: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() }),
  maximized: z.boolean(),
});

function overlap(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return Math.max(0, width) * Math.max(0, height);
}

/**
 * The saved state made safe for today's displays: kept when enough of the window lands on a screen
 * (a monitor may have been unplugged since), otherwise centred on the primary screen.
 */
export function fitToDisplays(saved: WindowState | null, workAreas: readonly Rectangle[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const width = Math.min(Math.max(saved?.bounds.width ?? DEFAULT_SIZE.width, MIN_SIZE.width), primary.width);
  const height = Math.min(Math.max(saved?.bounds.height ?? DEFAULT_SIZE.height, MIN_SIZE.height), primary.height);
  if (saved !== null) {
    const bounds = { ...saved.bounds, width, height };
    const visible = Math.max(...workAreas.map((area) => overlap(bounds, area)), 0);
    if (visible >= 0.5 * width * height) return { bounds, maximized: saved.maximized };
  }
  const centred = { x: primary.x + Math.round((primary.width - width) / 2), y: primary.y + Math.round((primary.height - height) / 2), width, height };
  return { bounds: centred, maximized: saved?.maximized ?? false };
}

/** The state saved last time, or null when there is none or it cannot be read. */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    return SavedState.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Saves the state atomically, so a crash mid-write leaves the previous one. */
export function saveWindowState(file: string, state: WindowState): Promise<void> {
  return writeFileAtomically(file, JSON.stringify(state));
}

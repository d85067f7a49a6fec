import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Small file systems for fault tests: tmpfs of a given size (to fill), remounted read-only, and an
 * ext4 image on a loop device that can be made to fail the way a dying disk does (ext4 turns itself
 * read-only on an error). Needs root; `mountSupport()` says whether it works here, and why not.
 * Every mount made is remembered, so `unmountAll()` (in afterAll) undoes them even after a failure.
 */

const mounted: string[] = [];
const scratch: string[] = [];

const run = (command: string, args: string[]): string => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let support: { ok: true } | { ok: false; reason: string } | null = null;

/** Whether this process may mount a tmpfs (root, and a kernel and container that allow it). */
export function mountSupport(): { ok: true } | { ok: false; reason: string } {
  if (support !== null) return support;
  if (process.getuid?.() !== 0) return (support = { ok: false, reason: 'not running as root' });
  const probe = mkdtempSync('/tmp/countdeck-mount-probe-');
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    run('umount', [probe]);
    support = { ok: true };
  } catch (error) {
    support = { ok: false, reason: `mount -t tmpfs failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
  return support;
}

/** A new empty folder under /tmp, removed by `unmountAll`. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join('/tmp', prefix));
  scratch.push(dir);
  return dir;
}

/** Mounts a tmpfs of `sizeKiB` on a new folder and returns it. */
export function mountTmpfs(sizeKiB: number, prefix = 'countdeck-tmpfs-'): string {
  const dir = scratchDir(prefix);
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

/** Remounts a mount read-only or read-write (fails while a file on it is open for writing). */
export function remount(dir: string, mode: 'ro' | 'rw'): void {
  run('mount', ['-o', `remount,${mode}`, dir]);
}

/** A read-only bind mount of `source` on a new folder. */
export function bindReadOnly(source: string): string {
  const dir = scratchDir('countdeck-ro-bind-');
  run('mount', ['--bind', source, dir]);
  mounted.push(dir);
  run('mount', ['-o', 'remount,ro,bind', dir]);
  return dir;
}

export interface Ext4Mount {
  dir: string;
  /** The image file the file system lives in. */
  image: string;
  /** The loop device, e.g. /dev/loop0 (it changes when mounted again). */
  device: string;
}

/** An ext4 file system of `sizeMiB` in an image file, mounted through a loop device with errors=remount-ro. */
export function mountExt4(sizeMiB: number): Ext4Mount {
  const work = scratchDir('countdeck-ext4-');
  const image = join(work, 'disk.img');
  run('truncate', ['-s', `${sizeMiB}M`, image]);
  run('mkfs.ext4', ['-q', '-F', image]);
  const dir = join(work, 'mnt');
  mkdirSync(dir);
  run('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
  mounted.push(dir);
  const device = run('findmnt', ['-n', '-o', 'SOURCE', dir]).trim();
  return { dir, image, device };
}

/** Unmounts an ext4 image and mounts it again, as after a reboot: a file system that had turned read-only is writable again. */
export function remountExt4(mount: Ext4Mount): void {
  unmount(mount.dir);
  run('mount', ['-o', 'loop,errors=remount-ro', mount.image, mount.dir]);
  mounted.push(mount.dir);
  mount.device = run('findmnt', ['-n', '-o', 'SOURCE', mount.dir]).trim();
}

/**
 * Makes ext4 meet an error, as on a failing disk: with errors=remount-ro it turns read-only at once,
 * although files on it are open for writing (which a plain remount refuses).
 */
export function failExt4(mount: Ext4Mount): void {
  execFileSync('sh', ['-c', `echo countdeck-test > /sys/fs/ext4/${basename(mount.device)}/trigger_fs_error`]);
}

/** Whether an ext4 image can be mounted on a loop device and made to fail here. */
export function ext4Support(): { ok: true } | { ok: false; reason: string } {
  const tmpfs = mountSupport();
  if (!tmpfs.ok) return tmpfs;
  try {
    const mount = mountExt4(8);
    try {
      statfsSync(`/sys/fs/ext4/${basename(mount.device)}`);
    } finally {
      unmount(mount.dir);
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `no ext4 on a loop device with trigger_fs_error: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Free bytes on the file system of `dir`, for an unprivileged writer. */
export function freeBytes(dir: string): number {
  const { bavail, bsize } = statfsSync(dir);
  return bavail * bsize;
}

/** Unmounts one mount made here (lazily if it is busy). */
export function unmount(dir: string): void {
  const at = mounted.lastIndexOf(dir);
  try {
    run('umount', [dir]);
  } catch {
    run('umount', ['-l', dir]);
  }
  if (at >= 0) mounted.splice(at, 1);
}

/** Undoes every mount made here, newest first, and removes the scratch folders. Never throws. */
export function unmountAll(): void {
  for (const dir of [...mounted].reverse()) {
    try {
      unmount(dir);
    } catch (error) {
      console.error(`could not unmount ${dir}: ${(error as Error).message}`);
    }
  }
  for (const dir of scratch.splice(0).reverse()) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      console.error(`could not remove ${dir}: ${(error as Error).message}`);
    }
  }
}

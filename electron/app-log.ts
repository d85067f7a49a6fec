import log from 'electron-log/main';
import type { Logger } from './core/logger';

/** The log file is rotated (to main.old.log) when it passes this size. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The app's log: a file in the OS's usual place (~/Library/Logs/Countdeck on macOS,
 * %APPDATA%\Countdeck\logs on Windows, ~/.config/Countdeck/logs on Linux), rotated by size; only
 * warnings reach the console.
 */
export function openAppLog(): Logger & { file: string } {
  log.transports.file.level = 'info';
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.console.level = 'warn';
  return {
    file: log.transports.file.getFile().path,
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  };
}

import { accessSync, constants, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageFor } from '../../../shared/error-messages';
import { CountdeckError, ErrorCode, type ErrorInfo } from '../../../shared/errors';

/** SQLite's primary result codes that say something about the disk (the low byte of an extended code). */
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;

/** The coded error of a storage failure: what happened, that nothing was changed, and what to do. */
export function storageError(code: typeof ErrorCode.STORAGE_FULL | typeof ErrorCode.STORAGE_READ_ONLY | typeof ErrorCode.STORAGE_FAILED): ErrorInfo {
  return { code, message: messageFor(code)! };
}

/** The SQLite result code of an error thrown by `node:sqlite`, if it is one. */
export function sqliteCode(error: unknown): number | null {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' ? errcode & 0xff : null;
}

/**
 * What a failed write means for the operator. SQLite reports a full disk as SQLITE_FULL, but a
 * read-only mount or a vanished folder only as an I/O error: the folder is looked at to tell which.
 */
export function diagnoseWriteFailure(error: unknown, folder: string | null): CountdeckError {
  const code = sqliteCode(error);
  if (code === SQLITE_FULL) return CountdeckError.from(storageError(ErrorCode.STORAGE_FULL));
  if (code === SQLITE_READONLY) return CountdeckError.from(storageError(ErrorCode.STORAGE_READ_ONLY));
  if (code === SQLITE_IOERR || code === SQLITE_CANTOPEN) return CountdeckError.from(storageError(folderProblem(folder)));
  if (error instanceof CountdeckError) return error;
  return new CountdeckError(ErrorCode.INTERNAL, `Countdeck's database failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** Why a folder refuses writes, found by trying one: a read-only file system, a full disk (or quota), or an I/O error. */
function folderProblem(folder: string | null): typeof ErrorCode.STORAGE_FULL | typeof ErrorCode.STORAGE_READ_ONLY | typeof ErrorCode.STORAGE_FAILED {
  if (folder === null) return ErrorCode.STORAGE_FAILED;
  const probe = join(folder, `.countdeck-probe-${process.pid}`);
  try {
    accessSync(folder, constants.W_OK);
    writeFileSync(probe, 'probe');
    rmSync(probe, { force: true });
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM') return ErrorCode.STORAGE_READ_ONLY;
    if (errno === 'ENOSPC' || errno === 'EDQUOT') return ErrorCode.STORAGE_FULL;
    return ErrorCode.STORAGE_FAILED;
  }
  try {
    if (statfsSync(folder).bavail === 0) return ErrorCode.STORAGE_FULL;
  } catch {
    // The folder could not be measured: say what SQLite said.
  }
  return ErrorCode.STORAGE_FAILED;
}

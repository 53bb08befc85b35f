import { promises as fsp, createWriteStream, WriteStream } from 'node:fs';
import path from 'node:path';
import { ConvergeError, messageOf } from './errors';

/** Export files can hold personal data: directories 0700, files 0600, whatever the umask. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await fsp.chmod(dir, 0o700);
  } catch (e) {
    throw ioError(e, `cannot create directory ${dir}`, dir);
  }
}

export function createPrivateWriteStream(file: string): WriteStream {
  // 0600 at creation so the data is never world-readable; a pre-existing file is chmod-ed by the caller.
  return createWriteStream(file, { flags: 'w', mode: 0o600 });
}

/** Flushes a file's data to disk, so a manifest never claims what a crash could lose. */
export async function fsyncPath(file: string): Promise<void> {
  const fh = await fsp.open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a whole file atomically: temp file, fsync, rename, fsync the directory. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    const fh = await fsp.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
    await fsyncDir(path.dirname(file));
  } catch (e) {
    // Tidying the temp file is best effort: the write's own error below is what matters.
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw ioError(e, `cannot write ${file}`, file);
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function ioError(e: unknown, what: string, file?: string): ConvergeError {
  if (e instanceof ConvergeError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const hint =
    code === 'ENOSPC'
      ? ' (disk full)'
      : code === 'EACCES' || code === 'EPERM'
        ? ' (permission denied)'
        : code === 'EFBIG'
          ? ' (file size limit)'
          : '';
  return new ConvergeError('IO_FAILED', `${what}${hint}: ${messageOf(e)}`, { file }, { cause: e });
}

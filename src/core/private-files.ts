import { promises as fsp, createWriteStream, WriteStream } from 'node:fs';
import path from 'node:path';
import { ConvergeError, messageOf } from './errors';

/** Export files can hold personal data: directories 0700, files 0600, whatever the umask. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await makeDirs(dir, 0o700);
    await fsp.chmod(dir, 0o700);
  } catch (e) {
    throw ioError(e, `cannot create directory ${dir}`, dir);
  }
}

/**
 * mkdir -p, one level at a time from the nearest folder that exists. Node's own recursive mkdir
 * retries for ever where a folder exists but refuses new entries with ENOENT (/proc, /sys): a
 * --work-dir there must fail at once, naming the folder.
 */
export async function makeDirs(dir: string, mode = 0o777): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = await fsp.stat(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`${d} is not a directory`), { code: 'ENOTDIR', path: d });
      break;
    }
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await fsp.mkdir(d, { mode });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT')
        throw Object.assign(
          new Error(`${path.dirname(d)} does not accept new folders (a special file system such as /proc or /sys?)`),
          { code },
        );
      throw e;
    }
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
  await removeDeadTemps(file);
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

/** Files whose leftovers this process already looked for. */
const tidied = new Set<string>();

/**
 * Removes `<file>.tmp-<pid>-…` left by a process killed mid-write (a kill -9 during a manifest
 * rewrite), once per file and process; a temp file of a process still alive is left alone.
 */
async function removeDeadTemps(file: string): Promise<void> {
  if (tidied.has(file)) return;
  tidied.add(file);
  const prefix = `${path.basename(file)}.tmp-`;
  const names = await fsp.readdir(path.dirname(file)).catch(() => [] as string[]);
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isAlive(pid))) continue;
    await fsp.rm(path.join(path.dirname(file), n), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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

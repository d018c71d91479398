/**
 * Reading a text file that may be hostile: a FIFO, a device (`/dev/zero`, `/dev/urandom`), a socket, a
 * file larger than memory, or one that vanishes or changes between the walk and the read. A linted
 * repository is untrusted input (the GitHub Action lints pull requests from strangers, and git stores
 * symbolic links and, through `mkfifo` in a checkout script, nothing stops special files), so every file
 * mclint reads — manifests, `.gitignore` files, the config file — goes through `readRegularFile`.
 *
 * The file is opened with `O_NONBLOCK` (opening a FIFO for reading otherwise blocks until a writer
 * appears: open(2), fifo(7)), checked with `fstat` on the open descriptor (so the check and the read see
 * the same file, whatever is renamed in between), and read only when it is a regular file no larger than
 * the caller's limit.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';

/**
 * Why a file was not read: `not-regular` (a FIFO, socket or device, also through a symbolic link),
 * `too-large` (over the limit, or too large for one string), `unreadable` (any other error: EACCES,
 * ENOENT when it vanished, ELOOP, ENAMETOOLONG, EIO, EISDIR).
 */
export type UnreadReason = 'not-regular' | 'too-large' | 'unreadable';

/** A file's text, or why it was not read. */
export type RegularFileText =
  | {
      /** The file decoded as UTF-8 (invalid sequences as U+FFFD, byte order mark kept). */
      readonly text: string;
      /** True when the bytes are not valid UTF-8 (checked only when `text` holds U+FFFD). */
      readonly invalidUtf8: boolean;
      readonly reason?: undefined;
    }
  | { readonly text?: undefined; readonly reason: UnreadReason; readonly code?: string };

/** `O_NONBLOCK` where the platform has it (0 on Windows, where FIFOs cannot be opened this way anyway). */
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Reads `path` as UTF-8 text when it is a regular file of at most `maxBytes` bytes. Never throws.
 * @param path absolute (or working-directory relative) path; symbolic links are followed by the
 *   operating system, so callers check where a link leads before calling
 * @param maxBytes the largest size read, in bytes
 */
export function readRegularFile(path: string, maxBytes: number): RegularFileText {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK);
  } catch (err) {
    return { reason: 'unreadable', code: (err as { code?: string }).code };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { reason: 'not-regular' };
    if (st.size > maxBytes) return { reason: 'too-large' };
    const text = readFileSync(fd, 'utf8');
    // A file that grew after the fstat: the limit still holds.
    if (text.length > maxBytes) return { reason: 'too-large' };
    return { text, invalidUtf8: text.includes('\uFFFD') && !isUtf8(bytesOf(fd, st.size)) };
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { reason: code === 'ERR_FS_FILE_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG' ? 'too-large' : 'unreadable', code };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Closing a descriptor that was opened cannot fail in a way that matters here.
    }
  }
}

/** The first `max` bytes of an open file (positional reads: the descriptor's offset is left alone). */
function bytesOf(fd: number, max: number): Buffer {
  const buffer = Buffer.allocUnsafe(max);
  let length = 0;
  while (length < max) {
    const n = readSync(fd, buffer, length, max - length, length);
    if (n === 0) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

import { fstatSync, writeSync } from 'node:fs';
import type { Reader, Writer } from '../commands/shared/context.js';
import { main } from './main.js';

/** Whether a file descriptor is a terminal, without loading node:tty for pipes and files. */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/**
 * Output straight to the file descriptor: a short-lived CLI has no use for the stream machinery that
 * process.stdout sets up on first use, and synchronous writes are never lost at exit. A closed pipe
 * (`togo … | head -1`) ends the output quietly; a non-blocking descriptor that is full falls back
 * to the stream, which queues.
 */
function fdWriter(fd: 1 | 2): Writer {
  let closed = false;
  let stream: NodeJS.WriteStream | undefined;
  const tty = isTerminal(fd);
  return {
    isTTY: tty,
    get columns() {
      return tty ? (fd === 1 ? process.stdout : process.stderr).columns : undefined;
    },
    write(chunk: string) {
      if (closed) return false;
      if (stream) return stream.write(chunk);
      const bytes = Buffer.from(chunk);
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return false;
        }
        if (code !== 'EAGAIN') throw error;
        stream = fd === 1 ? process.stdout : process.stderr;
        stream.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'EPIPE') closed = true;
        });
        return stream.write(bytes.subarray(offset));
      }
      return true;
    },
  };
}

/** The process edge: real streams, real clock, Ctrl-C as an abort signal. */
export async function run(argv: string[]): Promise<number> {
  // Made on first use: loading AbortController costs every start a fifth of a millisecond, and most
  // commands never ask for the signal.
  let controller: AbortController | undefined;
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) {
      // A second Ctrl-C: give the signal back to Node's default handler, which ends the process.
      process.off('SIGINT', onSigint);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    interrupted = true;
    controller?.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    return await main(argv, {
      stdout: fdWriter(1),
      stderr: fdWriter(2),
      get stdin(): Reader {
        return process.stdin;
      },
      env: process.env,
      cwd: process.cwd(),
      now: () => Date.now(),
      get signal(): AbortSignal {
        if (!controller) {
          controller = new AbortController();
          if (interrupted) controller.abort();
        }
        return controller.signal;
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/**
 * An outer bound that only catches a hang. Tests judge timeouts and interrupts by their outcome
 * (exit code, error code); how long something took on this machine is never asserted, because a
 * busy machine makes everything slower. The bound is generous on purpose.
 */
export const HANG_MS = 20_000;

/** Resolves as `promise` does, or rejects with "<what> hung" after `ms`. */
export async function orHang<T>(promise: Promise<T>, what: string, ms = HANG_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung (no outcome within ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

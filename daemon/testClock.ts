// A clock that a test or a benchmark moves from outside the daemon's process, so the built daemon
// can live an hour of the simulators' time in seconds: RAILYARD_TEST_CLOCK_FILE names a file
// holding the time in ms since the epoch. Unset (always, for users) the daemon reads the real clock.
import * as fs from 'node:fs';

export function clockFromEnv(env: NodeJS.ProcessEnv): (() => Date) | undefined {
  const file = env.RAILYARD_TEST_CLOCK_FILE;
  if (!file) return undefined;
  return () => {
    try {
      const ms = Number(fs.readFileSync(file, 'utf8').trim());
      return Number.isFinite(ms) && ms > 0 ? new Date(ms) : new Date();
    } catch {
      return new Date();
    }
  };
}

// A clock that a test or a benchmark moves from outside the daemon's process, so the built daemon
// can live an hour of the simulators' time in seconds: RAILYARD_TEST_CLOCK_FILE names a file
// holding the time in ms since the epoch. It is honoured only while the daemon talks to a Railway
// on this machine (the simulator): against Railway itself the daemon reads the real clock, so the
// variable cannot move a deploy window or a verification's end for a real project.
import * as fs from 'node:fs';

/** Whether `url` names a server on this machine (the simulators listen on 127.0.0.1). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export function clockFromEnv(env: NodeJS.ProcessEnv, railwayUrl: string): (() => Date) | undefined {
  const file = env.RAILYARD_TEST_CLOCK_FILE;
  if (!file || !isLoopbackUrl(railwayUrl)) return undefined;
  return () => {
    try {
      const ms = Number(fs.readFileSync(file, 'utf8').trim());
      return Number.isFinite(ms) && ms > 0 ? new Date(ms) : new Date();
    } catch {
      return new Date();
    }
  };
}

// The daemon's time for waits that last minutes (a promotion's settle time, its verification's
// window): real time by default; tests hand in a clock whose sleep moves the simulators' instead.

export interface DaemonClock {
  now(): Date;
  /** Resolves once `ms` have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

export const realClock: DaemonClock = {
  now: () => new Date(),
  // A wait alone never keeps a stopping daemon's process alive; the server does while it runs.
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
};

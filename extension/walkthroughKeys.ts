// The context keys the walkthrough's first three steps complete on, and the walkthrough's own copy
// of each. No `vscode` here: the unit tests read it.

/**
 * VS Code's walkthrough service starts on first use (the Welcome page, Railyard: Get Started) and
 * takes a key already true by then as seen, never checking its step for it; and it checks a step
 * for a key only the first time the key turns true in a window. So each step also completes on a
 * copy that stays false but for a moment: once the walkthrough is open (Get Started, or a Welcome
 * page tab), each copy whose key is true is set true and back, which the running service sees.
 */
export const STEP_KEY_COPIES = {
  'railyard.railwaySignedIn': 'railyard.walkthrough.railwaySignedIn',
  'railyard.githubSignedIn': 'railyard.walkthrough.githubSignedIn',
  'railyard.projectLinked': 'railyard.walkthrough.projectLinked',
} as const;

export type StepKey = keyof typeof STEP_KEY_COPIES;

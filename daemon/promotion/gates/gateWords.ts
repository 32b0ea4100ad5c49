// The few words every gate writes the same way: a commit's short sha and a counted noun.

export function short(sha: string | undefined, missing = '(unknown)'): string {
  return sha ? sha.slice(0, 7) : missing;
}

/** "1 check", "3 checks" */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

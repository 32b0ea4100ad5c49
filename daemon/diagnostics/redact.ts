// Removes secrets from any text the daemon writes or sends: known token values and token-shaped strings.
const REDACTED = '[redacted]';

// Shapes that are secrets whoever owns them: GitHub tokens, bearer/basic credentials, URL userinfo.
const patterns: RegExp[] = [
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g,
  /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /(Project-Access-Token|Authorization)(["']?\s*[:=]\s*["']?)(?!Bearer |Basic |token |\[redacted)[^\s"',}]+/gi,
  /(\/\/)[^/\s:@]+:[^/\s@]+@/g,
];

/** Secret values registered at run time (stored tokens, the daemon's own secret). */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would redact ordinary words; real tokens are long.
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(REDACTED);
    out = out.replace(patterns[0]!, REDACTED);
    out = out.replace(patterns[1]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(patterns[2]!, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
    out = out.replace(patterns[3]!, `$1${REDACTED}@`);
    return out;
  }
}

// Both pages tell their extension what their Content-Security-Policy refused, so a refusal shows
// in Railyard's log (and fails the UI tests) instead of silently leaving part of a page blank.

/** The message both pages' protocols carry for a refusal. */
export interface CspViolation {
  type: 'csp-violation';
  directive: string;
  blocked: string;
}

/** Registered first thing: a refusal while the page builds is reported too. */
export function reportCspViolations(post: (message: CspViolation) => void): void {
  document.addEventListener('securitypolicyviolation', (e) =>
    post({
      type: 'csp-violation',
      directive: (e.effectiveDirective || e.violatedDirective).slice(0, 200),
      blocked: (e.blockedURI || 'inline').slice(0, 2000),
    }),
  );
}

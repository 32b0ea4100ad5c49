/** The README the .vsix carries: relative images become their captions, relative links their text. */
export function packagedReadme(markdown: string): string;

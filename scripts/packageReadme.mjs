// The README the .vsix carries, made from the repository's: every relative image becomes its
// caption and every relative link its text, since the installed extension's page can show neither.
//
// VS Code's extension details page keeps only http(s) image sources (its Markdown sanitizer) in a
// webview allowing `img-src https: data:`, and opens only http(s) and mailto links; a relative
// image would show as a broken-image box beside its alt text. Railyard has no public URL to point
// them at, so the package says what each picture shows instead; the repository keeps the pictures.

/** `![alt](src)` or `[text](href)`; the target has no spaces or parentheses in this README. */
const markdownLink = /(!?)\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const htmlImage = /<img\b[^>]*>/gi;

/** A URL with a scheme, or an anchor on the same page: these still work in the package. */
const isAbsolute = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#');

/** The caption a relative picture becomes, in italics, or nothing for a picture without alt text. */
const caption = (alt) => (alt.trim() ? `_Screenshot: ${alt.trim()}_` : '');

function rewriteProse(text) {
  return text
    .replace(markdownLink, (all, bang, label, target) => {
      if (isAbsolute(target)) return all;
      return bang ? caption(label) : label;
    })
    .replace(htmlImage, (tag) => {
      const src = /\bsrc=["']([^"']*)["']/i.exec(tag)?.[1] ?? '';
      if (isAbsolute(src)) return tag;
      return caption(/\balt=["']([^"']*)["']/i.exec(tag)?.[1] ?? '');
    });
}

/** The packaged README: prose rewritten, fenced code blocks left exactly as they are. */
export function packagedReadme(markdown) {
  return markdown
    .split(/(^```[^\n]*\n[\s\S]*?^```[^\n]*$)/m)
    .map((part, i) => (i % 2 === 1 ? part : rewriteProse(part)))
    .join('');
}

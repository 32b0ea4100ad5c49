/** Relative paths (with `/`) of the files a .vsix of Railyard holds, by .vscodeignore, sorted. */
export function shippedFiles(root: string): string[];

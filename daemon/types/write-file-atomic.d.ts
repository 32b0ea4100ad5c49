// The one call the daemon makes of write-file-atomic 7, which ships no types; DefinitelyTyped's
// @types/write-file-atomic stops at 4 and would describe another version.
declare module 'write-file-atomic' {
  interface Options {
    /** File mode for a new file, e.g. 0o600. */
    mode?: number;
    encoding?: BufferEncoding;
    fsync?: boolean;
  }
  const writeFileAtomic: {
    /** Writes to a temporary file beside `file`, then renames it over `file`. */
    sync(file: string, data: string | Buffer, options?: Options): void;
  };
  export default writeFileAtomic;
}

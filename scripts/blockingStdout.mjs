// Loaded into every test process (`--import`): makes its stdout blocking. Under --test-force-exit a
// test file's child reports to the runner over a pipe, non-blocking on Linux, and its process.exit()
// could drop the last report frames: their tests vanished from the counts with the run still green
// (nodejs/node#64833, open). A blocking write is written before exit returns.
process.stdout._handle?.setBlocking?.(true);

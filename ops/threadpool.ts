// Imported first by the CLI: libuv runs file system calls on a thread pool of 4 by default, so a
// storage node could have only 4 fsyncs in flight; with more, concurrent uploads' fsyncs meet in
// the same journal commit. The pool is created on first use, so this must come before any.
process.env.UV_THREADPOOL_SIZE ??= '16';
export {};

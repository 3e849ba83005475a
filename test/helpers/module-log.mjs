// `node --import` this file: the URL of every module the process loads is appended, a line each, to
// the file MODULE_LOG names (not a VOW_* variable: the command refuses unknown ones), so
// test/cli/start-loads.test.ts sees what a start of `vow` loads.
import { register } from 'node:module';

if (process.env.MODULE_LOG)
  register(new URL('./module-log-hooks.mjs', import.meta.url), { data: process.env.MODULE_LOG });

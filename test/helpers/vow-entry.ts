// `vow` as bin/vow.js starts it (its last two lines), for test/helpers/vow-command.ts when the tests
// run from scripts/test.js's compiled tree: the command then runs the tree's already compiled
// src/cli/main.js, the code under test, instead of each process hashing src/ and, when a source
// changed, compiling its own tree (bin/compile.js; test/platform/compile.test.ts tests that path).
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);

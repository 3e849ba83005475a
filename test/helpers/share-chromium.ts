// Imported first by a group of browser test files sharing a process (scripts/test-groups.js): from
// here on launchChromium() lends every file of the group the process's one Chromium, and the browser
// closes once the group's last test has run. Each file still gets its own contexts (cookies,
// storage, viewport), closed when the file closes "its" browser, as it did with a browser of its own.
import { after } from 'node:test';
import { shareChromium } from './browser.js';

after(shareChromium());

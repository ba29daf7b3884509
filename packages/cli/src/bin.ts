#!/usr/bin/env node
// The installed `sspkit` command (package.json publishConfig.bin → dist/bin.js); tsc keeps the
// shebang. In the workspace, bin/sspkit.mjs runs main.ts through tsx instead.
import './main.js';

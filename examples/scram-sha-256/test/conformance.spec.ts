// The whole conformance suite, in a few lines: one vitest test per check.
import { describe, it } from 'vitest';
import { defineConformanceSuite } from '@sspkit/conformance';
import * as entry from '../conformance-entry.js';

defineConformanceSuite({ module: entry, ...entry.sspkitConformance, test: { describe, it } });

/**
 * For scripts that run under Windows Node (test/wine/win/*.ts): their answer to the Linux test is
 * JSON written to the file named by SSPKIT_WINE_RESULT (stdio cannot be a pipe under Wine).
 */
import { writeFileSync } from 'node:fs';

/** The environment variable naming the result file (a Windows path, `Z:\...`). */
export const RESULT_ENV = 'SSPKIT_WINE_RESULT';

/** Writes the script's result for the Linux side (runWindowsNode's `result`). Call it once, at the end. */
export function writeResult(value: unknown): void {
  const file = process.env[RESULT_ENV];
  if (file === undefined) throw new Error(`${RESULT_ENV} is not set: run this script through test/wine/harness.ts`);
  writeFileSync(file, JSON.stringify(value));
}

/** `pnpm bench native`: the Kerberos package against a C program and MIT krb5, side by side (see README). */
import { runNativeBench } from './native-bench.js';

await runNativeBench(true);

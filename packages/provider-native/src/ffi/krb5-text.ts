/**
 * krb5 error codes recovered from their message text. libcom_err's error_message() gives the
 * text of each code the status table knows; a renumbered minor (see errors.ts) is matched back
 * through it. Built once, lazily; an unavailable libcom_err just disables the recovery.
 */
import { gssLibrary } from './library.js';
import { Krb5Minor } from './status-map.js';

let byText: Map<string, number> | undefined;

/** The krb5 code whose error_message() is exactly `text`, if the status table knows it. */
export function krb5CodeForText(text: string): number | undefined {
  if (byText === undefined) {
    byText = new Map();
    try {
      const { koffi } = gssLibrary();
      const comErr = koffi.load('libcom_err.so.2');
      // const char *error_message(errcode_t code); errcode_t is long
      const errorMessage = comErr.func('const char *error_message(long code)') as (code: number) => string | null;
      for (const code of Object.values(Krb5Minor)) {
        const message = errorMessage(code);
        if (message !== null && message !== '' && !byText.has(message)) byText.set(message, code);
      }
    } catch {
      // Recovery is an aid; the routine-error mapping still applies.
    }
  }
  return byText.get(text);
}

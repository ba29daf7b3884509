/**
 * Upper-casing of account names the way Windows compares them (RtlUpcaseUnicodeChar): one UTF-16
 * code unit at a time, never a mapping that changes the length ("ß" stays "ß", where
 * String#toUpperCase gives "SS"), no locale rules, then ordinal comparison. The same function is
 * NTOWFv2's Uppercase(User) (MS-NLMP §3.3.2), so the key a name hashes to and the account it finds
 * always agree.
 *
 * The per-unit mapping is the JavaScript engine's Unicode simple upper-case mapping, restricted:
 * a non-ASCII unit never maps into ASCII. That leaves U+0131 "ı" and U+017F "ſ" as they are, as
 * Windows' upper-case table does, so "alıce" is not "ALICE" and "ſam" is not "SAM". Units whose only
 * upper-case form is longer (U+1FB3 and friends) also stay as they are; that can only make two names
 * differ that Windows would fold together, never the other way round.
 */
let table: Uint16Array | undefined;

function buildTable(): Uint16Array {
  const t = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const up = String.fromCharCode(c).toUpperCase();
    const u = up.length === 1 ? up.charCodeAt(0) : c;
    t[c] = c >= 0x80 && u < 0x80 ? c : u;
  }
  return t;
}

/** Upper-cases `s` one UTF-16 code unit at a time (see the module comment). */
export function upcase(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 0x80;
  if (ascii) return s.toUpperCase();
  table ??= buildTable();
  const t = table;
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(t[s.charCodeAt(i)] ?? s.charCodeAt(i));
  return out;
}

/**
 * The PackageList of SEC_WINNT_AUTH_IDENTITY_EX: which packages Negotiate may use for one
 * credential. Comma-separated names, case-insensitive; `!name` excludes. With at least one plain
 * name the list is exactly those names, in that order (`kerberos,!ntlm` → Kerberos only); with only
 * exclusions it is the package's default list minus them (`!kerberos` → NTLM only).
 */

/** A parsed list, or the reason it is unusable. */
export type PackageListResult =
  { readonly ok: true; readonly packages: readonly string[] } | { readonly ok: false; readonly reason: string };

/** Applies `list` to `defaults` (names as registered, in preference order). */
export function applyPackageList(list: string | undefined, defaults: readonly string[]): PackageListResult {
  if (list === undefined || list.trim() === '') return { ok: true, packages: defaults };
  const include: string[] = [];
  const exclude = new Set<string>();
  for (const raw of list.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const negated = item.startsWith('!');
    const name = (negated ? item.slice(1) : item).trim().toLowerCase();
    if (!/^[a-z0-9._-]+$/i.test(name))
      return { ok: false, reason: `package list entry "${item}" is not a package name` };
    if (negated) exclude.add(name);
    else if (!include.includes(name)) include.push(name);
  }
  const canonical = (n: string): string => defaults.find((d) => d.toLowerCase() === n) ?? n;
  const chosen = include.length > 0 ? include.map(canonical) : [...defaults];
  const packages = chosen.filter((p) => !exclude.has(p.toLowerCase()));
  if (packages.length === 0) return { ok: false, reason: `package list "${list}" leaves no package` };
  return { ok: true, packages };
}

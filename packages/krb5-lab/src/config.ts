/** The two profile files of a throwaway realm, rendered from a port and a realm name. */

/** Inputs that decide every line of the realm's profiles. */
export interface RealmProfileInput {
  readonly realm: string;
  readonly port: number;
  readonly dir: string;
}

/**
 * The client/library profile (`KRB5_CONFIG`). DNS lookups and reverse DNS are off so nothing
 * leaves loopback, and `udp_preference_limit = 1` makes every request use TCP, which is what a
 * closed port refuses at once (UDP would wait for a timeout).
 */
export function renderKrb5Conf(input: RealmProfileInput): string {
  const { realm, port } = input;
  return [
    '[libdefaults]',
    `  default_realm = ${realm}`,
    '  dns_lookup_kdc = false',
    '  dns_lookup_realm = false',
    '  rdns = false',
    '  dns_canonicalize_hostname = false',
    '  udp_preference_limit = 1',
    '  ticket_lifetime = 10h',
    '  renew_lifetime = 1d',
    '  forwardable = true',
    '',
    '[realms]',
    `  ${realm} = {`,
    `    kdc = 127.0.0.1:${port}`,
    '  }',
    '',
    '[domain_realm]',
    `  localhost = ${realm}`,
    `  .localhost = ${realm}`,
    '',
  ].join('\n');
}

/**
 * The KDC profile (`KRB5_KDC_PROFILE`). Both listeners are pinned to 127.0.0.1 — without
 * `kdc_listen`/`kdc_tcp_listen` the KDC binds port 88 on every interface.
 */
export function renderKdcConf(input: RealmProfileInput): string {
  const { realm, port, dir } = input;
  return [
    '[kdcdefaults]',
    `  kdc_listen = 127.0.0.1:${port}`,
    `  kdc_tcp_listen = 127.0.0.1:${port}`,
    '',
    '[realms]',
    `  ${realm} = {`,
    `    database_name = ${dir}/principal`,
    `    key_stash_file = ${dir}/stash`,
    `    acl_file = ${dir}/kadm5.acl`,
    `    kdc_listen = 127.0.0.1:${port}`,
    `    kdc_tcp_listen = 127.0.0.1:${port}`,
    '    max_life = 10h',
    '    max_renewable_life = 1d',
    '  }',
    '',
    '[logging]',
    `  kdc = FILE:${dir}/kdc.log`,
    `  admin_server = FILE:${dir}/kadmind.log`,
    `  default = FILE:${dir}/krb5lib.log`,
    '',
  ].join('\n');
}

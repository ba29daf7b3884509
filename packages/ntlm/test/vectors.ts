import { hex } from './helpers.js';

/** MS-NLMP §4.2.1 common values used by every §4.2 example. */
export const V = {
  user: 'User',
  domain: 'Domain',
  password: 'Password',
  serverName: 'Server',
  workstation: 'COMPUTER',
  randomSessionKey: hex('55555555555555555555555555555555'),
  time: hex('0000000000000000'),
  clientChallenge: hex('aaaaaaaaaaaaaaaa'),
  serverChallenge: hex('0123456789abcdef'),
  /** "Plaintext" in UTF-16LE, the message of the §4.2.x.4 GSS_WrapEx examples. */
  plaintext: hex('50006c00610069006e007400650078007400'),
  /** §4.2.4: AV pairs NetBIOS domain "Domain", NetBIOS server "Server", MsvAvEOL. */
  targetInfoV2: hex('02000c0044006f006d00610069006e00' + '01000c00530065007200760065007200' + '00000000'),
} as const;

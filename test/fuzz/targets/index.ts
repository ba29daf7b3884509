/** Every fuzz target, by name: `pnpm fuzz <name>`. */
import type { FuzzTarget } from '../target.js';
import { channelBindingsTarget } from './channel-bindings.js';
import { decodeTarget } from './decode.js';
import { digestHttpTarget } from './digest-http.js';
import { digestSaslTarget } from './digest-sasl.js';
import { handshakeTarget } from './handshake.js';
import { importContextTarget } from './import-context.js';
import { messageTarget } from './message.js';
import { ntlmTarget } from './ntlm.js';
import { pacTarget } from './pac.js';
import { spnegoTarget } from './spnego.js';

export const TARGETS: readonly FuzzTarget[] = [
  ntlmTarget,
  channelBindingsTarget,
  digestHttpTarget,
  digestSaslTarget,
  pacTarget,
  spnegoTarget,
  decodeTarget,
  importContextTarget,
  handshakeTarget('mock'),
  handshakeTarget('ntlm'),
  handshakeTarget('digest-sasl'),
  handshakeTarget('digest-http'),
  handshakeTarget('negotiate'),
  messageTarget('mock'),
  messageTarget('ntlm'),
  messageTarget('digest-sasl'),
  messageTarget('negotiate'),
];

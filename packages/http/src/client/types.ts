/** Options and events of the authenticating fetch client. */
import type { AuthData, SspiDispatcher } from '@sspkit/core';

/** The schemes the client answers, by their `WWW-Authenticate` names. */
export type ClientScheme = 'Negotiate' | 'Kerberos' | 'NTLM' | 'Digest';

/** Strongest first: the order in which offered schemes are chosen (see the README). */
export const SCHEME_STRENGTH: readonly ClientScheme[] = ['Negotiate', 'Kerberos', 'NTLM', 'Digest'];

/** One leg of an exchange, for a `curl -v`-style trace (tokens are public; nothing secret is in them). */
export interface LegEvent {
  readonly direction: 'request' | 'response';
  readonly method?: string;
  readonly url: string;
  readonly status?: number;
  /** `Authorization` / `Proxy-Authorization` sent, or the challenge / final headers received. */
  readonly headers: Readonly<Record<string, string>>;
  /** Which connection (lane) carried it: connection-bound schemes stay on one. */
  readonly connection: number;
}

export interface AuthFetchOptions {
  /** The dispatcher whose packages answer the challenges (Negotiate, Kerberos, NTLM, Digest). */
  readonly sspi: SspiDispatcher;
  /** Schemes the caller allows (default: all four). The strongest offered one is chosen. */
  readonly schemes?: readonly ClientScheme[];
  /**
   * AcquireCredentialsHandle auth data per scheme (user/password, `{ ccache }`, `{ keytab }` ...);
   * absent: the package's default credential (the Kerberos ccache of the environment, say).
   */
  readonly authData?: Partial<Record<ClientScheme, AuthData>> | ((scheme: ClientScheme) => AuthData | undefined);
  /** pszTargetName for the connection-bound schemes (default `HTTP/<host>`). */
  readonly targetName?: (url: URL, scheme: ClientScheme) => string;
  /** Require the server to prove itself (Negotiate/Kerberos final token, Digest `rspauth`); default true. */
  readonly mutualAuth?: boolean;
  /** Send `tls-server-end-point` channel bindings on https (RFC 5929; default true). */
  readonly channelBindings?: boolean;
  /**
   * Keep connections open between requests (default true). False: every request goes out on a new
   * connection, so a connection-bound scheme runs a full handshake each time (as `curl --negotiate`).
   */
  readonly reuseConnections?: boolean;
  /** Connections per origin (default 4). Connection-bound handshakes stay on theirs. */
  readonly connections?: number;
  /** TLS options for https origins (`ca`, `rejectUnauthorized`, `servername`). */
  readonly tls?: {
    readonly ca?: string | Buffer | readonly (string | Buffer)[];
    readonly rejectUnauthorized?: boolean;
    readonly servername?: string;
  };
  /**
   * A forward proxy (`http://host:port`): every request goes to it in absolute form (RFC 7230
   * §5.3.2), and its 407 `Proxy-Authenticate` challenges are answered with `Proxy-Authorization`
   * (connection-bound schemes on the connection to the proxy). Absent: requests go to the origin and
   * 401 `WWW-Authenticate` challenges are answered.
   */
  readonly proxy?: string | URL;
  /** Most authentication legs per request (default 6). */
  readonly maxLegs?: number;
  /** Largest request body kept for replaying across legs (default 16 MiB). */
  readonly maxBodyBytes?: number;
  /** Called for every leg (the CLI's trace). */
  readonly onLeg?: (leg: LegEvent) => void;
}

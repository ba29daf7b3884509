/** The `sspkit` command. */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { conformanceCommand } from '@sspkit/conformance';
import { decodeCommand } from './commands/decode.js';
import { fetchCommand } from './commands/fetch.js';
import { handshakeCommand } from './commands/handshake.js';
import { labDownCommand, labStatusCommand, labUpCommand } from './commands/lab.js';
import { packagesCommand } from './commands/packages.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { loadSspi } from './load.js';

const write = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function program(): Command {
  const p = new Command('sspkit')
    .description('SSPI security packages for Node: list, handshake, status, conformance')
    .showHelpAfterError();
  p.exitOverride();

  p.command('packages')
    .description('EnumerateSecurityPackages, capabilities decoded')
    .option('--json', 'machine-readable output')
    .option('--module <path>', 'also load this package module (repeatable)', collect, [])
    .action(async (o: { json?: boolean; module: string[] }) => {
      process.exitCode = packagesCommand(await loadSspi(o.module), o, write);
    });

  p.command('handshake')
    .description('run client and server in this process through the dispatcher (default: the Mock package)')
    .option('--package <name>', 'security package', 'Mock')
    .option('--user <user>', 'client user (default: the demo user)')
    .option('--password <password>', 'client password (visible to other users in ps: prefer SSPKIT_PASSWORD)')
    .option('--domain <domain>', 'client domain')
    .option('--target <target>', 'target name (SPN)')
    .option('--module <path>', 'also load this package module (repeatable)', collect, [])
    .option('--lab <dir>', 'use this Kerberos lab (default: your only running lab)')
    .option('--json', 'machine-readable output')
    .action(
      async (o: {
        package: string;
        user?: string;
        password?: string;
        domain?: string;
        target?: string;
        module: string[];
        lab?: string;
        json?: boolean;
      }) => {
        const password = o.password ?? process.env['SSPKIT_PASSWORD'];
        const inputs = { ...o, ...(password !== undefined ? { password } : {}) };
        process.exitCode = await handshakeCommand(await loadSspi(o.module, o.lab), inputs, write);
      },
    );

  const lab = p.command('lab').description('a throwaway MIT Kerberos realm on loopback');
  lab
    .command('up')
    .description('create the realm, start its KDC on a free 127.0.0.1 port, print the environment to use')
    .option('--dir <dir>', 'directory for the realm (default: a new temp dir)')
    .option('--realm <realm>', 'realm name', 'SSPKIT.LAB')
    .option('--json', 'machine-readable output (no password)')
    .action(async (o: { dir?: string; realm?: string; json?: boolean }) => {
      process.exitCode = await labUpCommand(o, write);
    });
  lab
    .command('down')
    .description('stop the KDC by PID and remove the realm')
    .option('--dir <dir>', 'the lab directory (default: your only running lab)')
    .option('--json', 'machine-readable output')
    .action(async (o: { dir?: string; json?: boolean }) => {
      process.exitCode = await labDownCommand(o, write);
    });
  lab
    .command('status')
    .description("this user's labs: directory, realm, port, KDC pid, whether it runs")
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      process.exitCode = labStatusCommand(o, write);
    });

  p.command('serve')
    .description('a demo HTTP server on 127.0.0.1 answering each authenticated request with the identity as JSON')
    .option('--port <n>', 'port (default: a free one)', (v) => Number.parseInt(v, 10))
    .option('--schemes <list>', 'schemes offered, in order', 'negotiate,ntlm,kerberos,digest')
    .option('--tls', 'https with a self-signed certificate made at start')
    .addOption(
      new Option('--channel-bindings <policy>', 'Extended Protection with --tls')
        .choices(['off', 'when-supported', 'required'])
        .default('off'),
    )
    .option('--lab <dir>', 'use this Kerberos lab (default: your only running lab)')
    .option('--json', 'print the start-up information as JSON')
    .action(
      async (o: {
        port?: number;
        schemes: string;
        tls?: boolean;
        channelBindings: 'off' | 'when-supported' | 'required';
        lab?: string;
        json?: boolean;
      }) => {
        process.exitCode = await serveCommand(await loadSspi([], o.lab), o, write);
      },
    );

  p.command('fetch')
    .description(
      'fetch a URL, answering Negotiate / Kerberos / NTLM / Digest challenges; prints every leg as curl -v does',
    )
    .argument('<url>', 'http:// or https:// URL')
    .option('--user <user>', "user (default: Kerberos from the environment's ccache)")
    .option('--password <password>', 'password (visible to other users in ps: prefer SSPKIT_PASSWORD)')
    .option('--domain <domain>', 'NTLM domain, Kerberos realm, Digest realm')
    .option('--scheme <list>', 'allowed schemes, comma separated (default: all; the strongest offered is used)')
    .option('--method <method>', 'request method (default GET, POST with --data)')
    .option('--data <body>', 'request body')
    .option('--insecure', 'accept any TLS certificate')
    .option('--lab <dir>', 'use this Kerberos lab (default: the last `sspkit lab up`)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        url: string,
        o: {
          user?: string;
          password?: string;
          domain?: string;
          scheme?: string;
          method?: string;
          data?: string;
          insecure?: boolean;
          lab?: string;
          json?: boolean;
        },
      ) => {
        const password = o.password ?? process.env['SSPKIT_PASSWORD'];
        process.exitCode = await fetchCommand(
          await loadSspi([], o.lab),
          url,
          { ...o, ...(password !== undefined ? { password } : {}) },
          write,
        );
      },
    );

  p.command('status')
    .description('what does 0x80090308 mean: a status by code or name, or every status')
    .argument('[code]', 'hex, decimal (signed or not) or SEC_E_* name')
    .addOption(new Option('--all', 'list every known status'))
    .option('--json', 'machine-readable output')
    .action((code: string | undefined, o: { all?: boolean; json?: boolean }) => {
      process.exitCode = statusCommand(code, o, write);
    });

  p.command('decode')
    .description('explain a token or an auth header field by field (SPNEGO, NTLM, Kerberos, Digest, channel bindings)')
    .argument('[token]', 'base64, hex, or a whole Authorization / WWW-Authenticate line; - or nothing reads stdin')
    .option('--json', 'machine-readable output (schema sspkit.decode/1)')
    .option('--keytab <file>', 'decrypt Kerberos tickets with this keytab (client, times, PAC summary)')
    .action((token: string | undefined, o: { json?: boolean; keytab?: string }) => {
      const input = token === undefined || token === '-' ? new Uint8Array(readFileSync(0)) : token;
      process.exitCode = decodeCommand(input, o, write);
    });

  p.command('conformance')
    .description('run the provider conformance suite against a package module (path or package name)')
    .argument('<module>', 'path to a module exporting spLsaModeInitialize, or a package specifier')
    .option('--package <name>', 'the package to test when the module holds several')
    .option('--json', 'machine-readable report (schema sspkit.conformance/1)')
    .option('--junit <file>', 'also write a JUnit XML report')
    .action(async (modulePath: string, o: { package?: string; json?: boolean; junit?: string }) => {
      process.exitCode = await conformanceCommand({
        modulePath,
        json: o.json ?? false,
        write: (s) => process.stdout.write(s),
        writeError: (s) => process.stderr.write(s),
        ...(o.package !== undefined ? { packageName: o.package } : {}),
        ...(o.junit !== undefined ? { junitFile: o.junit } : {}),
      });
    });

  return p;
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (e) {
    const code = (e as { exitCode?: unknown }).exitCode;
    if (typeof code === 'number') process.exitCode = code === 1 ? 2 : code;
    else {
      process.stderr.write(`sspkit: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  }
}

await main();

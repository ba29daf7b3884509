import { describe, expect, it } from 'vitest';
import { Registry, SecPkgInterfaceVersion, SecStatus, isSspiError } from '@sspkit/core';
import type {
  LsaSecpkgFunctionTable,
  SecpkgFunctionTable,
  SecpkgUserFunctionTable,
  SecurityPackageModule,
  SspiError,
} from '@sspkit/core';

const S = SecStatus;
const V = SecPkgInterfaceVersion;

function info(name: string) {
  return {
    status: S.SEC_E_OK,
    packageInfo: { name, comment: '', capabilities: 0, version: 1, rpcId: 0xffff, maxToken: 10 },
  };
}

/** A module whose every entry point appends to `log`. */
function tracedModule(
  log: string[],
  names: string[],
  opts: {
    lsaVersion?: number;
    userVersion?: number;
    initStatus?: Record<string, number>;
    instanceStatus?: number;
  } = {},
): SecurityPackageModule {
  const lsa = names.map((name): SecpkgFunctionTable => ({
    initializePackage: (id) => {
      log.push(`InitializePackage(${name}, id=${id})`);
      return { status: S.SEC_E_OK, authenticationPackageName: name };
    },
    initialize: (id) => {
      log.push(`SpInitialize(${name}, id=${id})`);
      return opts.initStatus?.[name] ?? S.SEC_E_OK;
    },
    getInfo: () => {
      log.push(`SpGetInfo(${name})`);
      return info(name);
    },
    shutdown: () => {
      log.push(`SpShutdown(${name})`);
      return S.SEC_E_OK;
    },
  }));
  const user = names.map((name): SecpkgUserFunctionTable => ({
    instanceInit: (version) => {
      log.push(`SpInstanceInit(${name}, 0x${version.toString(16)})`);
      return opts.instanceStatus ?? S.SEC_E_OK;
    },
  }));
  return {
    spLsaModeInitialize: (v) => {
      log.push(`SpLsaModeInitialize(0x${v.toString(16)})`);
      return { status: S.SEC_E_OK, packageVersion: opts.lsaVersion ?? V.VERSION, tables: lsa };
    },
    spUserModeInitialize: (v) => {
      log.push(`SpUserModeInitialize(0x${v.toString(16)})`);
      return { status: S.SEC_E_OK, packageVersion: opts.userVersion ?? V.VERSION, tables: user };
    },
  };
}

async function refusal(p: Promise<unknown>): Promise<SspiError> {
  try {
    await p;
  } catch (e) {
    if (isSspiError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Registry', () => {
  it('initialises in the Windows order: SpLsaModeInitialize → InitializePackage → SpInitialize → SpUserModeInitialize → SpInstanceInit', async () => {
    const log: string[] = [];
    const r = new Registry();
    const report = await r.load(tracedModule(log, ['Alpha', 'Beta']));
    expect(log).toEqual([
      'SpLsaModeInitialize(0x10000)',
      'InitializePackage(Alpha, id=1)',
      'SpInitialize(Alpha, id=1)',
      'SpGetInfo(Alpha)',
      'InitializePackage(Beta, id=2)',
      'SpInitialize(Beta, id=2)',
      'SpGetInfo(Beta)',
      'SpUserModeInitialize(0x10000)',
      'SpInstanceInit(Alpha, 0x10000)',
      'SpInstanceInit(Beta, 0x10000)',
    ]);
    expect(report.packages.map((p) => [p.name, p.packageId])).toEqual([
      ['Alpha', 1],
      ['Beta', 2],
    ]);
  });

  it('a module with two packages registers both, each with its own user table', async () => {
    const r = new Registry();
    await r.load(tracedModule([], ['Alpha', 'Beta']));
    expect(r.list().map((p) => p.name)).toEqual(['Alpha', 'Beta']);
    expect(r.get('beta')!.user!.instanceInit).toBeTypeOf('function');
    expect(r.getById(1)!.name).toBe('Alpha');
  });

  it('finds packages case-insensitively', async () => {
    const r = new Registry();
    await r.load(tracedModule([], ['NTLM']));
    expect(r.get('ntlm')?.name).toBe('NTLM');
    expect(r.get('NtLm')?.name).toBe('NTLM');
    expect(r.get('kerberos')).toBeUndefined();
  });

  it.each([
    ['an unknown LSA table version', { lsaVersion: 0x12345 }, /SECPKG_FUNCTION_TABLE version 0x00012345/],
    ['a future LSA table version (VERSION_12)', { lsaVersion: 0x08000000 }, /does not understand/],
    ['an unknown user table version', { userVersion: 3 }, /SECPKG_USER_FUNCTION_TABLE version 0x00000003/],
    [
      'a user table version the user table does not define (VERSION_3)',
      { userVersion: 0x40000 },
      /user table knows SECPKG_INTERFACE_VERSION and _2/,
    ],
  ])('refuses %s with SEC_E_CANNOT_INSTALL and registers nothing', async (_label, opts, message) => {
    const log: string[] = [];
    const r = new Registry();
    const e = await refusal(r.load(tracedModule(log, ['Alpha'], opts), 'mod'));
    expect(e.status).toBe(S.SEC_E_CANNOT_INSTALL);
    expect(e.code).toBe('SEC_E_CANNOT_INSTALL');
    expect(e.message).toMatch(message);
    expect(r.list()).toEqual([]);
  });

  it('refuses a name clash (case-insensitive) and shuts down what the module had initialised', async () => {
    const r = new Registry();
    await r.load(tracedModule([], ['Alpha']));
    const log: string[] = [];
    const e = await refusal(r.load(tracedModule(log, ['Gamma', 'ALPHA'])));
    expect(e.message).toMatch(/"ALPHA" is already registered/);
    expect(log).toContain('SpShutdown(Gamma)');
    expect(r.list().map((p) => p.name)).toEqual(['Alpha']);
    const dup = await refusal(new Registry().load(tracedModule([], ['Same', 'same'])));
    expect(dup.status).toBe(S.SEC_E_CANNOT_INSTALL);
  });

  it('a package whose SpInitialize fails is unloaded; its siblings stay', async () => {
    const r = new Registry();
    const report = await r.load(
      tracedModule([], ['Good', 'Bad'], { initStatus: { Bad: S.SEC_E_INSUFFICIENT_MEMORY } }),
    );
    expect(report.packages.map((p) => p.name)).toEqual(['Good']);
    expect(report.refused).toEqual([
      {
        index: 1,
        name: 'Bad',
        status: S.SEC_E_INSUFFICIENT_MEMORY,
        reason: 'SpInitialize returned SEC_E_INSUFFICIENT_MEMORY',
      },
    ]);
    expect(r.get('bad')).toBeUndefined();
  });

  it('informational statuses from SpInitialize keep the package', async () => {
    const r = new Registry();
    await r.load(tracedModule([], ['Info'], { initStatus: { Info: S.SEC_I_CONTINUE_NEEDED } }));
    expect(r.get('info')).toBeDefined();
  });

  it('a failing SpInstanceInit refuses the module and shuts its packages down', async () => {
    const log: string[] = [];
    const r = new Registry();
    const e = await refusal(r.load(tracedModule(log, ['Alpha'], { instanceStatus: S.SEC_E_INTERNAL_ERROR }), 'mod'));
    expect(e.message).toMatch(/SpInstanceInit.*SEC_E_INTERNAL_ERROR/);
    expect(log).toContain('SpShutdown(Alpha)');
    expect(r.list()).toEqual([]);
  });

  it('refuses modules without spLsaModeInitialize, with a failing status, throwing, or with no tables', async () => {
    const r = new Registry();
    expect((await refusal(r.load({} as SecurityPackageModule, 'empty'))).message).toMatch(
      /does not export spLsaModeInitialize/,
    );
    expect(
      (
        await refusal(
          r.load({
            spLsaModeInitialize: () => ({ status: S.SEC_E_INTERNAL_ERROR, packageVersion: V.VERSION, tables: [] }),
          }),
        )
      ).message,
    ).toMatch(/SEC_E_INTERNAL_ERROR/);
    expect(
      (
        await refusal(
          r.load({ spLsaModeInitialize: () => ({ status: S.SEC_E_OK, packageVersion: V.VERSION, tables: [] }) }),
        )
      ).message,
    ).toMatch(/no function tables/);
    const throwing: SecpkgFunctionTable = {
      initialize: () => {
        throw new Error('boom');
      },
      getInfo: () => info('T'),
    };
    expect(
      (
        await refusal(
          r.load({
            spLsaModeInitialize: () => ({ status: S.SEC_E_OK, packageVersion: V.VERSION, tables: [throwing] }),
          }),
        )
      ).message,
    ).toMatch(/threw/);
    expect(
      (
        await refusal(
          r.load({ spLsaModeInitialize: () => ({ status: S.SEC_E_OK, packageVersion: V.VERSION, tables: [{}] }) }),
        )
      ).message,
    ).toMatch(/no package information/);
  });

  it('entry points that throw or return nothing are refused with SEC_E_CANNOT_INSTALL, never a TypeError', async () => {
    const r = new Registry();
    const bad: SecurityPackageModule[] = [
      {
        spLsaModeInitialize: () => {
          throw new Error('boom');
        },
      },
      { spLsaModeInitialize: () => undefined as never },
      {
        spLsaModeInitialize: () => ({
          status: 0,
          packageVersion: V.VERSION,
          tables: [
            { getInfo: () => ({ status: 0, packageInfo: { ...info('X').packageInfo, name: 5 as unknown as string } }) },
          ],
        }),
      },
      {
        spLsaModeInitialize: () => ({ status: 0, packageVersion: V.VERSION, tables: [{ getInfo: () => info('Y') }] }),
        spUserModeInitialize: () => ({ status: 0, packageVersion: V.VERSION }) as never,
      },
    ];
    for (const m of bad) expect((await refusal(r.load(m))).status).toBe(S.SEC_E_CANNOT_INSTALL);
    expect(r.list()).toEqual([]);
  });

  it('concurrent loads cannot register two packages with one name', async () => {
    const r = new Registry();
    const results = await Promise.allSettled([r.load(tracedModule([], ['Twin'])), r.load(tracedModule([], ['TWIN']))]);
    expect(results.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(r.list().map((p) => p.name)).toHaveLength(1);
  });

  it('gives packages the injected clock and random source, and a way to locate each other', async () => {
    let helpers: LsaSecpkgFunctionTable | undefined;
    const r = new Registry({ environment: { clock: () => 1_000, randomBytes: (n) => new Uint8Array(n).fill(7) } });
    await r.load(tracedModule([], ['Other']));
    await r.load({
      spLsaModeInitialize: () => ({
        status: S.SEC_E_OK,
        packageVersion: V.VERSION,
        tables: [{ initialize: (_id, _p, h) => ((helpers = h), S.SEC_E_OK), getInfo: () => info('Finder') }],
      }),
    });
    expect(helpers!.clock()).toBe(1_000);
    expect(helpers!.now()).toBe(116444736000000000n + 10_000_000n);
    expect(helpers!.randomBytes(3)).toEqual(Uint8Array.of(7, 7, 7));
    const other = helpers!.locatePackage('OTHER');
    expect(other?.info.name).toBe('Other');
    expect(helpers!.locatePackageById(other!.packageId)?.info.name).toBe('Other');
    expect(helpers!.locatePackage('missing')).toBeUndefined();
  });
});

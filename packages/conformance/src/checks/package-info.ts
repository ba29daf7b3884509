/** Package info: SecPkgInfo fields, capabilities against slots, interface versions, cbMaxToken. */
import {
  LSA_TABLE_MEMBERS,
  SecPkgFlag,
  SecPkgInterfaceVersion,
  USER_TABLE_MEMBERS,
  isSuccess,
  statusName,
} from '@sspkit/core';
import { shown } from '../outcome.js';
import type { ConformanceCheck, SlotName } from '../types.js';
import { S } from './common.js';

const KNOWN_VERSIONS: ReadonlySet<number> = new Set(Object.values(SecPkgInterfaceVersion));
const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** Slots a declared capability needs, as a data table. */
const CAPABILITY_SLOTS: readonly (readonly [flag: number, name: string, slots: readonly SlotName[]])[] = [
  [SecPkgFlag.INTEGRITY, 'INTEGRITY', ['user.makeSignature', 'user.verifySignature']],
  [SecPkgFlag.PRIVACY, 'PRIVACY', ['user.sealMessage', 'user.unsealMessage']],
  [SecPkgFlag.IMPERSONATION, 'IMPERSONATION', ['user.getContextToken']],
];

export const packageInfoChecks: readonly ConformanceCheck[] = [
  {
    id: 'package-info.fields',
    area: 'package-info',
    group: 'QuerySecurityPackageInfo',
    title: 'SecPkgInfo has a name, comment, version, RPC id and cbMaxToken, and is found by name case-insensitively',
    required: true,
    gate: {},
    async run(h, t) {
      const i = h.info;
      t.ensure(
        // eslint-disable-next-line no-control-regex -- a package name with control characters is the defect checked
        typeof i.name === 'string' && i.name.length > 0 && !/[\u0000-\u001f]/.test(i.name),
        'name (Name)',
        shown(i.name),
        'a non-empty printable name',
      );
      t.ensure(typeof i.comment === 'string', 'comment (Comment)', typeof i.comment, 'a string');
      t.ensure(
        Number.isInteger(i.version) && i.version >= 0 && i.version <= 0xffff,
        'version (wVersion)',
        String(i.version),
        'an integer 0…65535',
      );
      t.ensure(
        Number.isInteger(i.rpcId) && i.rpcId >= 0 && i.rpcId <= 0xffff,
        'rpcId (wRPCID)',
        String(i.rpcId),
        'an integer 0…65535 (SECPKG_ID_NONE = 0xFFFF)',
      );
      t.ensure(
        Number.isInteger(i.maxToken) && i.maxToken > 0,
        'maxToken (cbMaxToken)',
        String(i.maxToken),
        'a positive integer',
      );
      t.ensure(
        Number.isInteger(i.capabilities) && i.capabilities >= 0,
        'capabilities (fCapabilities)',
        String(i.capabilities),
        'a non-negative integer',
      );
      for (const name of [i.name, i.name.toUpperCase(), i.name.toLowerCase()]) {
        const q = h.clientSspi.querySecurityPackageInfo(name);
        t.status(`QuerySecurityPackageInfo("${name}")`, q.status, [S.SEC_E_OK]);
        t.ensure(
          q.packageInfo?.name === i.name,
          `QuerySecurityPackageInfo("${name}").Name`,
          String(q.packageInfo?.name),
          i.name,
        );
      }
      const e = h.clientSspi.enumerateSecurityPackages();
      t.ensure(
        e.packages.some((p) => p.name === i.name),
        'EnumerateSecurityPackages',
        e.packages.map((p) => p.name).join(', '),
        `a list naming ${i.name}`,
      );
      t.note(`${i.name} v${i.version}, cbMaxToken ${i.maxToken}`, 'well-formed SecPkgInfo');
    },
  },
  {
    id: 'package-info.capabilities-match-slots',
    area: 'package-info',
    group: 'SpLsaModeInitialize/SpUserModeInitialize',
    title: 'every declared capability has the table slots it needs, and the handshake slots exist',
    required: true,
    gate: {},
    async run(h, t) {
      const has = (s: SlotName): boolean => h.probe.slots.has(s);
      const needed: SlotName[] = [
        'lsa.acquireCredentialsHandle',
        'lsa.freeCredentialsHandle',
        'lsa.initLsaModeContext',
      ];
      if (!h.declares(SecPkgFlag.CLIENT_ONLY)) needed.push('lsa.acceptLsaModeContext');
      const missing = needed.filter((s) => !has(s));
      t.ensure(missing.length === 0, 'handshake slots', `missing ${missing.join(', ')}`, needed.join(', '));
      // Without either delete slot the dispatcher can only answer SEC_E_INVALID_HANDLE to DeleteSecurityContext.
      t.ensure(
        has('lsa.deleteContext') || has('user.deleteUserModeContext'),
        'DeleteSecurityContext',
        'neither lsa.deleteContext nor user.deleteUserModeContext',
        'at least one of them',
      );
      for (const [flag, name, slots] of CAPABILITY_SLOTS) {
        if (!h.declares(flag)) continue;
        const absent = slots.filter((s) => !has(s));
        t.ensure(
          absent.length === 0,
          `SECPKG_FLAG_${name}`,
          `declared, but ${absent.join(', ')} absent`,
          `slots ${slots.join(', ')}`,
        );
      }
      if (h.declares(SecPkgFlag.INTEGRITY) || h.declares(SecPkgFlag.PRIVACY)) {
        t.ensure(
          has('user.queryContextAttributes') || has('lsa.queryContextAttributes'),
          'QueryContextAttributes',
          'no slot in either table',
          'a slot to answer SECPKG_ATTR_SIZES',
        );
      }
      t.note(`${h.probe.slots.size} slots`, 'slots for every declared capability');
    },
  },
  {
    id: 'package-info.interface-version',
    area: 'package-info',
    group: 'SpLsaModeInitialize/SpUserModeInitialize',
    title: 'the entry points succeed and declare SECPKG_INTERFACE_VERSION values the LSA understands',
    required: true,
    gate: {},
    async run(h, t) {
      const m = h.options.module;
      const lsa = await m.spLsaModeInitialize(SecPkgInterfaceVersion.VERSION);
      t.ensure(isSuccess(lsa.status), 'SpLsaModeInitialize status', statusName(lsa.status), 'a success status');
      t.ensure(
        KNOWN_VERSIONS.has(lsa.packageVersion),
        'SpLsaModeInitialize PackageVersion',
        hex(lsa.packageVersion),
        'one of SECPKG_INTERFACE_VERSION … _11',
      );
      t.ensure(
        Array.isArray(lsa.tables) && lsa.tables.length > 0,
        'SpLsaModeInitialize tables',
        String(lsa.tables?.length),
        'at least one table',
      );
      if (m.spUserModeInitialize) {
        const user = await m.spUserModeInitialize(SecPkgInterfaceVersion.VERSION);
        t.ensure(isSuccess(user.status), 'SpUserModeInitialize status', statusName(user.status), 'a success status');
        t.ensure(
          KNOWN_VERSIONS.has(user.packageVersion),
          'SpUserModeInitialize PackageVersion',
          hex(user.packageVersion),
          'one of SECPKG_INTERFACE_VERSION … _11',
        );
        t.ensure(
          user.tables.length <= lsa.tables.length,
          'SpUserModeInitialize tables',
          String(user.tables.length),
          `at most ${lsa.tables.length} (one per LSA table)`,
        );
      }
      t.note(
        `LSA ${hex(h.probe.lsaVersion)}, user ${h.probe.userVersion === undefined ? 'none' : hex(h.probe.userVersion)}`,
        'known versions',
      );
    },
  },
  {
    id: 'package-info.slots-within-version',
    area: 'package-info',
    group: 'SpLsaModeInitialize/SpUserModeInitialize',
    title: 'no slot is defined beyond the declared table version (the LSA would never call it)',
    required: false,
    gate: {},
    async run(h, t) {
      const lsa = h.tracker.lsa[h.index] as Record<string, unknown> | undefined;
      const user = h.tracker.user[h.index] as Record<string, unknown> | undefined;
      const beyond: string[] = [];
      for (const [name, since] of LSA_TABLE_MEMBERS)
        if (typeof lsa?.[name] === 'function' && since > h.probe.lsaVersion)
          beyond.push(`lsa.${name} (needs ${hex(since)})`);
      for (const [name, since] of USER_TABLE_MEMBERS) {
        if (typeof user?.[name] === 'function' && since > (h.probe.userVersion ?? 0))
          beyond.push(`user.${name} (needs ${hex(since)})`);
      }
      t.ensure(
        beyond.length === 0,
        'slots beyond the declared version',
        beyond.join(', '),
        'none (declare a higher PackageVersion or drop them)',
      );
    },
  },
  {
    id: 'package-info.max-token',
    area: 'package-info',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'every handshake token fits in cbMaxToken, and a handshake into cbMaxToken-sized caller buffers completes',
    required: true,
    gate: {},
    async run(h, t) {
      const max = h.info.maxToken;
      const p = await h.pair();
      p.driver.legs.forEach((l, i) => {
        t.ensure(
          l.outputLength <= max,
          `token of leg ${i + 1} (${l.side})`,
          `${l.outputLength} bytes`,
          `≤ cbMaxToken (${max})`,
        );
      });
      const d = await (await h.handshake({ output: max })).run();
      t.ensure(
        d.state === 'done',
        'handshake into cbMaxToken-sized buffers (no ALLOCATE_MEMORY)',
        `${d.describe()}${d.illegal ? `: ${d.illegal}` : ''}`,
        'a completed handshake',
      );
      t.note(`largest token ${Math.max(0, ...p.driver.legs.map((l) => l.outputLength))} bytes`, `≤ ${max}`);
    },
  },
];

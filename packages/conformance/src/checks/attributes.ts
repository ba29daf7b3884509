/** QueryContextAttributes: NAMES and NATIVE_NAMES name the client, FLAGS, LIFESPAN, PACKAGE_INFO, SESSION_KEY. */
import { AscRet, IscRet, SecPkgAttr } from '@sspkit/core';
import type { SecPkgContextLifespan, SecPkgContextNativeNames } from '@sspkit/core';
import { shown } from '../outcome.js';
import { ascName, iscName } from '../probe.js';
import type { ConformanceCheck } from '../types.js';
import { S, optionalAttribute, query } from './common.js';

const mentions = (value: unknown, user: string): boolean =>
  typeof value === 'string' && value.toLowerCase().includes(user.toLowerCase());

export const attributeChecks: readonly ConformanceCheck[] = [
  {
    id: 'attributes.names',
    area: 'attributes',
    group: 'QueryContextAttributes',
    title: 'SECPKG_ATTR_NAMES names the client on both sides',
    required: true,
    gate: {},
    async run(h, t) {
      const user = await h.expectedUser();
      const p = await h.pair();
      for (const ctx of [p.server, p.client]) {
        const r = query(h, t, ctx, SecPkgAttr.NAMES);
        t.status(`QueryContextAttributes(NAMES) on the ${ctx.side}`, r.status, [S.SEC_E_OK]);
        const name = (r.buffer as { userName?: unknown } | undefined)?.userName;
        t.ensure(mentions(name, user), `NAMES.userName on the ${ctx.side}`, shown(name), `a name containing "${user}"`);
      }
    },
  },
  {
    id: 'attributes.native-names',
    area: 'attributes',
    group: 'QueryContextAttributes',
    title: 'SECPKG_ATTR_NATIVE_NAMES names the client on the server side',
    required: true,
    gate: {},
    async run(h, t) {
      const user = await h.expectedUser();
      const p = await h.pair();
      const v = optionalAttribute(h, t, p.server, SecPkgAttr.NATIVE_NAMES, 'SECPKG_ATTR_NATIVE_NAMES') as
        Partial<SecPkgContextNativeNames> | undefined;
      t.ensure(
        mentions(v?.clientName, user),
        'NATIVE_NAMES.clientName on the server',
        shown(v?.clientName),
        `a name containing "${user}"`,
      );
      t.ensure(
        typeof v?.serverName === 'string',
        'NATIVE_NAMES.serverName on the server',
        typeof v?.serverName,
        'a string',
      );
    },
  },
  {
    id: 'attributes.flags',
    area: 'attributes',
    group: 'QueryContextAttributes',
    title: 'SECPKG_ATTR_FLAGS reports the flags the last handshake leg returned (ALLOCATED_MEMORY aside)',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      const cases = [
        [p.client, p.driver.clientAttributes & ~IscRet.ALLOCATED_MEMORY, iscName, IscRet.ALLOCATED_MEMORY],
        [p.server, p.driver.serverAttributes & ~AscRet.ALLOCATED_MEMORY, ascName, AscRet.ALLOCATED_MEMORY],
      ] as const;
      for (const [ctx, expected, names, alloc] of cases) {
        const v = optionalAttribute(h, t, ctx, SecPkgAttr.FLAGS, 'SECPKG_ATTR_FLAGS') as
          { flags?: unknown } | undefined;
        const seen = typeof v?.flags === 'number' ? v.flags & ~alloc : -1;
        t.ensure(
          seen === expected,
          `FLAGS on the ${ctx.side}`,
          seen < 0 ? String(v?.flags) : names(seen) || '0',
          names(expected) || '0',
        );
      }
    },
  },
  {
    id: 'attributes.lifespan',
    area: 'attributes',
    group: 'QueryContextAttributes',
    title: 'SECPKG_ATTR_LIFESPAN gives TimeStamps with start ≤ expiry',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      for (const ctx of [p.client, p.server]) {
        const v = optionalAttribute(h, t, ctx, SecPkgAttr.LIFESPAN, 'SECPKG_ATTR_LIFESPAN') as
          Partial<SecPkgContextLifespan> | undefined;
        t.ensure(
          typeof v?.start === 'bigint' && typeof v.expiry === 'bigint' && v.start <= v.expiry,
          `LIFESPAN on the ${ctx.side}`,
          `${String(v?.start)} … ${String(v?.expiry)}`,
          'bigint TimeStamps, start ≤ expiry',
        );
      }
    },
  },
  {
    id: 'attributes.package-info',
    area: 'attributes',
    group: 'QueryContextAttributes',
    title: 'SECPKG_ATTR_PACKAGE_INFO names the package',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      const v = optionalAttribute(h, t, p.client, SecPkgAttr.PACKAGE_INFO, 'SECPKG_ATTR_PACKAGE_INFO') as
        { packageInfo?: { name?: unknown } } | undefined;
      const name = v?.packageInfo?.name;
      t.ensure(
        typeof name === 'string' && name.toLowerCase() === h.info.name.toLowerCase(),
        'PACKAGE_INFO.packageInfo.name',
        shown(name),
        h.info.name,
      );
    },
  },
  {
    id: 'attributes.session-key',
    area: 'attributes',
    group: 'QueryContextAttributes',
    title: 'SECPKG_ATTR_SESSION_KEY is non-empty and equal on both sides',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      const c = optionalAttribute(h, t, p.client, SecPkgAttr.SESSION_KEY, 'SECPKG_ATTR_SESSION_KEY') as
        { sessionKey?: unknown } | undefined;
      const s = optionalAttribute(h, t, p.server, SecPkgAttr.SESSION_KEY, 'SECPKG_ATTR_SESSION_KEY') as
        { sessionKey?: unknown } | undefined;
      const ck = c?.sessionKey;
      const sk = s?.sessionKey;
      t.ensure(ck instanceof Uint8Array && ck.length > 0, 'SESSION_KEY on the client', String(ck), 'non-empty bytes');
      t.ensure(
        sk instanceof Uint8Array && Buffer.compare(sk, ck as Uint8Array) === 0,
        'SESSION_KEY on the server',
        'different bytes',
        "the client's key",
      );
      t.note(`${(ck as Uint8Array).length}-byte key, equal on both sides`, 'equal keys');
    },
  },
];

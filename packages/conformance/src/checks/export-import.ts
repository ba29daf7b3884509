/** ExportSecurityContext / ImportSecurityContext: an imported context continues the message stream. */
import { ContextExport } from '@sspkit/core';
import { messageBytes } from '../messages.js';
import type { ConformanceCheck } from '../types.js';
import { S, exchange, protection } from './common.js';

export const exportImportChecks: readonly ConformanceCheck[] = [
  {
    id: 'export-import.continues-stream',
    area: 'export-import',
    group: 'ExportSecurityContext/ImportSecurityContext',
    title: 'a server context exported (DELETE_OLD) and imported continues the message stream both ways',
    required: true,
    gate: { slots: ['user.exportContext', 'user.importContext'] },
    async run(h, t) {
      const p = await h.pair();
      const mode = protection(h);
      if (mode) exchange(h, t, mode, p.client, p.server, 'before export');
      const e = h.serverSspi.exportSecurityContext(p.server, ContextExport.DELETE_OLD);
      t.status('ExportSecurityContext(DELETE_OLD)', e.status, [S.SEC_E_OK]);
      t.ensure(
        e.packedContext instanceof Uint8Array && e.packedContext.length > 0,
        'ExportSecurityContext packed context',
        String(e.packedContext?.length),
        'non-empty bytes',
      );
      t.status(
        'QueryContextAttributes on the exported (deleted) handle',
        h.serverSspi.queryContextAttributes(p.server, 0).status,
        [S.SEC_E_INVALID_HANDLE],
      );
      const i = h.serverSspi.importSecurityContext(h.serverPackage, e.packedContext!, e.token, 'server');
      t.status('ImportSecurityContext', i.status, [S.SEC_E_OK]);
      const imported = h.adopt(i.context!);
      if (mode) {
        exchange(h, t, mode, p.client, imported, 'client→imported');
        exchange(h, t, mode, imported, p.client, 'imported→client');
      }
    },
  },
  {
    id: 'export-import.garbage',
    area: 'export-import',
    group: 'ExportSecurityContext/ImportSecurityContext',
    title: 'importing garbage gives SEC_E_INVALID_TOKEN (or the documented status), never a throw',
    required: true,
    gate: { slots: ['user.importContext'] },
    async run(h, t) {
      const r = h.serverSspi.importSecurityContext(h.serverPackage, messageBytes('not a packed context', 64));
      if (r.context) h.adopt(r.context);
      t.status('ImportSecurityContext(garbage)', r.status, t.accepted('status', [S.SEC_E_INVALID_TOKEN]));
    },
  },
];

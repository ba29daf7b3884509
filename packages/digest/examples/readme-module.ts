import { createSspi } from '@sspkit/core';
import { createDigestModule } from '@sspkit/digest';

// Or pass the module object { spLsaModeInitialize, spUserModeInitialize } the package also exports.
export const sspi = await createSspi({ modules: [createDigestModule()] });

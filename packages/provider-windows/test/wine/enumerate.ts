/** In Windows: what secur32 enumerates, and which packages the provider offered through the registry. */
import { currentProcessToken, isAvailable, liveHandleCount } from '../../src/index.js';
import { main, windowsDispatcher } from './support.js';

await main(async () => {
  const availability = isAvailable();
  const { sspi, refused } = await windowsDispatcher();
  return {
    availability,
    offered: sspi.enumerateSecurityPackages().packages,
    refused,
    processToken: currentProcessToken(),
    liveHandles: liveHandleCount(),
  };
});

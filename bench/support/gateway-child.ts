// The child process of spawnInstrumentedGateway: serves the handlers with the environment its parent gave (endpoints
// = counting proxies) until it is stopped, and says where on its first line of output.
import { startGateway } from '../../local/gateway/server';

startGateway(0).then(
  (gateway) => process.stdout.write(`${JSON.stringify({ url: gateway.url })}\n`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

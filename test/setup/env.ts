// Runs in every jest worker before any test file: configuration is read at import, so set it first.
// Endpoints come from global-setup (inherited through process.env); these are the remaining local defaults.
import { localDefaults } from '../../local/stack';

for (const [name, value] of Object.entries(localDefaults)) process.env[name] ??= value;
process.env.LOG_LEVEL ??= 'SILENT';
// Tests call the relay themselves right after a request; the grace it leaves in-flight requests would only slow them.
process.env.OUTBOX_RELAY_GRACE_SECONDS ??= '0';

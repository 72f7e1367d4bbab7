import { runUntilSignal, startServer } from '@taskstream/api';

// Every service in one process: today the API; consumers join here as they are built.
await runUntilSignal('embedded', startServer);

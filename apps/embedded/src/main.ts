import { runUntilSignal, startServer } from '@taskstream/api';

// Every service in one process (SERVICES, default all): what `npm start` runs.
await runUntilSignal('embedded', startServer);

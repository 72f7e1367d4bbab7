export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unavailable';

export interface LiveMessage {
  id?: string;
  type: string;
  data?: unknown;
}

interface LiveConnectionOptions {
  url: (lastEventId: string | null) => string;
  onMessage: (message: LiveMessage) => void;
  onStatus: (status: LiveStatus) => void;
  /** Called when the socket opens again after having been down: the caller refetches what it may have missed. */
  onReconnect: () => void;
  /** The server closed the socket because the session ended (signed out elsewhere, expired): 4001. */
  onSignedOut?: () => void;
  /** Whether the server answers plain HTTP; tells "server down" from "no live channel here". */
  serverReachable: () => Promise<boolean>;
  createSocket?: (url: string) => WebSocket;
}

// WebSocket.CONNECTING = 0, OPEN = 1.
const OPEN = 1;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const UNAVAILABLE_DELAY_MS = 30_000;
/** The server's close code for a socket whose session or token ended. */
const CREDENTIALS_ENDED = 4001;

/**
 * One WebSocket to /ws that survives drops: reconnects with exponential backoff and jitter,
 * resumes from the last event id it saw, and says whether the app is live, reconnecting or offline.
 */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private wasOpen = false;
  private stopped = false;
  private lastEventId: string | null = null;
  private status: LiveStatus = 'connecting';

  constructor(private readonly options: LiveConnectionOptions) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    if (!navigator.onLine) this.setStatus('offline');
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000, 'page closed');
    this.socket = null;
  }

  private readonly onOnline = () => {
    this.failures = 0;
    this.reconnectNow();
  };

  private readonly onOffline = () => {
    this.setStatus('offline');
    this.socket?.close();
  };

  private reconnectNow() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.socket && this.socket.readyState <= OPEN) return;
    this.connect();
  }

  private connect() {
    if (this.stopped) return;
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url));
    const socket = create(this.options.url(this.lastEventId));
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      const reconnected = this.wasOpen || this.failures > 0;
      this.failures = 0;
      this.wasOpen = true;
      this.setStatus('live');
      if (reconnected) this.options.onReconnect();
    };
    socket.onmessage = (event: MessageEvent) => {
      const message = parse(event.data);
      if (!message) return;
      if (typeof message.id === 'string' && message.type !== 'ping') this.lastEventId = message.id;
      this.options.onMessage(message);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      // The caller checks the session (and shows sign-in); reconnecting stays as usual in case it is still good.
      if (event.code === CREDENTIALS_ENDED) this.options.onSignedOut?.();
      if (!this.stopped) void this.scheduleReconnect();
    };
  }

  private async scheduleReconnect() {
    this.failures++;
    if (!navigator.onLine) return this.setStatus('offline');
    let delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (this.failures - 1));
    if (this.failures >= 3 && !this.wasOpen && (await this.options.serverReachable())) {
      // The server answers but never accepted the socket: it has no live channel. Keep trying, slowly.
      this.setStatus('unavailable');
      delay = UNAVAILABLE_DELAY_MS;
    } else {
      this.setStatus('reconnecting');
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => this.connect(), delay * (0.75 + Math.random() * 0.5));
  }

  private setStatus(status: LiveStatus) {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}

function parse(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as unknown;
    return typeof value === 'object' && value !== null && typeof (value as LiveMessage).type === 'string' ? (value as LiveMessage) : null;
  } catch {
    return null;
  }
}

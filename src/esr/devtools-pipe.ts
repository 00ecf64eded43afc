import type { Readable, Writable } from 'node:stream';
import type { ConnectOverCDPTransport } from 'playwright';

interface Message {
  id?: number;
  method?: string;
  params?: { sessionId?: string };
  result?: Record<string, unknown>;
  error?: { message?: string };
  sessionId?: string;
}

type Answer = { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void };

/** ESR's locale and time zone, which every page the tool drives is in: dates read day first, in UK time. */
export const ESR_LOCALE = 'en-GB';
export const ESR_TIME_ZONE = 'Europe/London';

/**
 * The browser's DevTools pipes (JSON messages, each ended by a NUL byte), shared by two drivers: the
 * tool's own session on the browser's page, which puts the page in ESR's locale and time zone before
 * it loads anything, and Playwright, which gets everything else through its transport. The tool's
 * traffic never reaches Playwright, which would not know its ids or its session.
 */
export class DevtoolsPipe {
  private open = true;
  /** Until the tool's session is attached, the browser's top-level answers and events are the tool's, and Playwright's messages wait. */
  private attaching = true;
  private ownSession: string | undefined;
  private readonly answers = new Map<number, Answer>();
  // Far above Playwright's ids, which count up from 1.
  private nextId = 2 ** 30;
  private readonly waitingForBrowser: object[] = [];
  private readonly waitingForPlaywright: object[] = [];
  private playwright: ConnectOverCDPTransport | undefined;
  private onclose: ((reason?: string) => void) | undefined;
  private partial: Buffer[] = [];

  constructor(
    private readonly toBrowser: Writable,
    private readonly fromBrowser: Readable,
  ) {
    toBrowser.on('error', () => undefined);
    fromBrowser.on('error', () => undefined);
    fromBrowser.on('data', this.onData);
    fromBrowser.once('close', () => this.detach());
  }

  /**
   * Attach to the browser's page and set its locale and time zone, then, given a URL (once it is
   * known: the config may still be being checked), send the page there. Resolves with whether it was
   * sent; rejects if the page would not take the settings: a page drawing 3 April as 4/3 would have
   * the list misread.
   */
  async prepare(firstPage: string | undefined | Promise<string | undefined>): Promise<boolean> {
    try {
      const { targetInfos } = (await this.ask('Target.getTargets')) as { targetInfos?: Array<{ type?: string; targetId?: string }> };
      // One page, so the one set up here is the one Playwright drives (checked again once it has attached).
      const pages = Array.isArray(targetInfos) ? targetInfos.filter((target) => target?.type === 'page') : [];
      if (pages.length !== 1 || typeof pages[0]!.targetId !== 'string') throw new Error(`it opened ${pages.length} pages, not one`);
      const { sessionId } = (await this.ask('Target.attachToTarget', { targetId: pages[0]!.targetId, flatten: true })) as { sessionId?: unknown };
      if (typeof sessionId !== 'string') throw new Error('it gave no DevTools session for its page');
      this.ownSession = sessionId;
    } finally {
      this.attaching = false;
      for (const message of this.waitingForBrowser.splice(0)) this.write(message);
    }
    // Waited for: a navigation sent with them would be drawn before they reach the page.
    await Promise.all([
      this.ask('Emulation.setLocaleOverride', { locale: ESR_LOCALE }, this.ownSession),
      this.ask('Emulation.setTimezoneOverride', { timezoneId: ESR_TIME_ZONE }, this.ownSession),
    ]);
    const url = await firstPage;
    if (!url || !this.open) return false;
    // Answered only once ESR has: the sync waits on the page's load instead.
    this.ask('Page.navigate', { url }, this.ownSession).catch(() => undefined);
    return true;
  }

  /**
   * Stop the first page's load: while it waits on ESR, the browser holds back every other driver's
   * messages to the page, Playwright's attach among them.
   */
  callOffFirstPage(): void {
    if (this.ownSession) this.ask('Page.navigate', { url: 'about:blank' }, this.ownSession).catch(() => undefined);
  }

  /** The pipes as Playwright's transport for connectOverCDP: one, taken once. */
  transport(): ConnectOverCDPTransport {
    if (this.playwright) throw new Error('the browser is already driven');
    const pipe = this;
    const transport: ConnectOverCDPTransport = {
      send(message) {
        if (!pipe.open) return;
        if (pipe.attaching) pipe.waitingForBrowser.push(message);
        else pipe.write(message);
      },
      close() {
        pipe.detach();
      },
      // Set after the pipe closed (a browser that ended at once), it is told at once.
      get onclose() {
        return pipe.onclose;
      },
      set onclose(listener) {
        pipe.onclose = listener;
        if (listener && !pipe.open) setImmediate(() => listener('the browser closed'));
      },
    };
    this.playwright = transport;
    for (const message of this.waitingForPlaywright.splice(0)) setImmediate(() => transport.onmessage?.(message));
    return transport;
  }

  /** Ask the browser to close, as Playwright's own close does: Playwright has only detached. Its answer is no one's. */
  closeBrowser(): void {
    this.detach();
    this.toBrowser.write(`${JSON.stringify({ id: 2 ** 31 - 1, method: 'Browser.close' })}\0`);
  }

  /** Stop passing messages on: the browser is closing, or said something that is not DevTools. */
  detach(): void {
    if (!this.open) return;
    this.open = false;
    this.fromBrowser.off('data', this.onData);
    for (const answer of this.answers.values()) answer.reject(new Error('the browser closed'));
    this.answers.clear();
    const listener = this.onclose;
    if (listener) setImmediate(() => listener('the browser closed'));
  }

  private ask(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (!this.open) return Promise.reject(new Error('the browser closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.answers.set(id, { resolve, reject });
      this.write({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    });
  }

  private write(message: object): void {
    this.toBrowser.write(`${JSON.stringify(message)}\0`);
  }

  private readonly onData = (chunk: Buffer): void => {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.partial.push(chunk.subarray(start, end));
      let message: unknown;
      try {
        message = JSON.parse(Buffer.concat(this.partial).toString('utf8'));
      } catch {
        message = undefined;
      }
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        // Not DevTools: nothing it says can be trusted, so the connection ends (Playwright reports it closed).
        this.detach();
        return;
      }
      this.partial = [];
      start = end + 1;
      this.route(message as Message);
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  };

  private route(message: Message): void {
    const ours = message.sessionId
      ? message.sessionId === this.ownSession
      : this.attaching || (message.method?.startsWith('Target.') === true && message.params?.sessionId === this.ownSession && this.ownSession !== undefined);
    if (!ours) {
      const transport = this.playwright;
      if (transport) setImmediate(() => transport.onmessage?.(message));
      else this.waitingForPlaywright.push(message);
      return;
    }
    const answer = message.id === undefined ? undefined : this.answers.get(message.id);
    if (!answer) return;
    this.answers.delete(message.id!);
    if (message.error) answer.reject(new Error(message.error.message ?? 'the browser refused'));
    else answer.resolve(message.result ?? {});
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import type { Feed } from '../holidays/feed.js';
import { loadSnapshot } from '../holidays/snapshot.js';
import { fromEsrDate } from '../planning/dates.js';
import { absenceList, listSwitched } from './list.js';
import {
  ABSENCES_PATH,
  absencesPage,
  dashboardPage,
  loggedOutPage,
  loginPage,
  PAGE_SCRIPT,
  TRANSIENT_ERROR,
  type Assignment,
} from './pages.js';
import { SandboxStore, type Seed } from './store.js';

export interface Faults {
  /** Added to every response. */
  latencyMs: number;
  /** How long a leave request shows the processing modal. */
  processingMs: number;
  refuseLogin: boolean;
  /** Submits (counted from 1 over the server's life) that fail with ESR's transient error. */
  transientSubmits: number[];
  /** Submits that ESR saves but answers with the transient error all the same. */
  savedButFailedSubmits: number[];
  /** A session ends after this many submits; the next step lands on the login form. */
  expireSessionAfterSubmits: number | null;
  /** The server goes away after this many submits, the last one saved but never answered. */
  exitAfterSubmits: number | null;
  absenceList: 'default' | 'alternate' | 'hidden';
  /** After a request is saved, reload the whole dashboard instead of updating it in place. */
  reloadAfterSubmit: boolean;
  /** How the absence list writes dates; the leave form still takes dd/mm/yyyy. 'locale': the page's
   *  script writes them as it loads, by the browser's locale (toLocaleDateString: en-GB 03/04/2026, en-US 4/3/2026). */
  dateFormat: 'dd/mm/yyyy' | 'd/m/yyyy' | 'dd-Mon-yyyy' | 'locale';
  /** More columns, as ESR's other screens have: Start | End | Absence Type | Reason | Hours | Comments | Status. */
  extraColumns: boolean;
  /** The list split into pages of this many rows (sorted by start date), with a "Next" link
   *  `<a class="next-page" href="...?page=N">Next</a>` shown while more pages follow; the page is chosen by ?page=N (page load). */
  pageSize: number | null;
  /** The list is not on the dashboard but on a page of its own, /dashboard/web/absences (for the assignment
   *  chosen in the session on the dashboard); the dashboard then has no list, only a link "Absence history" to it. */
  absencesPage: boolean;
  /** With no absences, show the text "No results found." instead of the table (as ESR's older screens). */
  emptyListText: boolean;
  /** Refuse a request that overlaps an active absence ("overlaps with an existing absence"). */
  refuseOverlaps: boolean;
  /** Logins after this many successful ones are refused with "Login Failed." (null: never). */
  refuseLoginAfter: number | null;
  /** Requests are saved, but the list never shows absences created during this sandbox's life (a list that lags or filters). */
  hideNewAbsences: boolean;
  /** Each row of the list gets a link `<a href="#" class="row-cancel">Cancel</a>` that cancels that absence
   *  (status Cancelled, by a request), and the list shows above the leave form: a page with more than one "Cancel". */
  rowCancelLinks: boolean;
  /** The leave form, once opened, slides into place over this many ms (0: it shows at once). */
  formSlideMs: number;
  /** Once the leave form opens, a clear layer covers the page for this many ms. */
  formShieldMs: number;
  /** Once the leave form opens, its background pulses for ever: an animation that moves nothing. */
  formPulses: boolean;
  /** The first time the pointer comes over Submit, a layer covers it for 300 ms (a tooltip, a banner). */
  coverSubmitOnHover: boolean;
  /** The first time the pointer comes over the link that opens the leave form, a layer covers it for 300 ms. */
  coverCreateOnHover: boolean;
  /** The first time the pointer comes over Submit, Submit creeps right for 300 ms, moved by script a pixel a frame. */
  driftSubmitOnHover: boolean;
  /** The first this many page loads (GET /dashboard/web...) answer 503. */
  unavailablePages: number;
  /** The first page load is answered only after this many ms. */
  firstPageStallMs: number;
  /** The dashboard's HTML arrives in two parts, the list's last row and all after it this many ms after the rest: a page still arriving. */
  lastRowLateMs: number;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  processingMs: 0,
  refuseLogin: false,
  transientSubmits: [],
  savedButFailedSubmits: [],
  expireSessionAfterSubmits: null,
  exitAfterSubmits: null,
  absenceList: 'default',
  reloadAfterSubmit: false,
  dateFormat: 'dd/mm/yyyy',
  extraColumns: false,
  pageSize: null,
  absencesPage: false,
  emptyListText: false,
  refuseOverlaps: true,
  refuseLoginAfter: null,
  hideNewAbsences: false,
  rowCancelLinks: false,
  formSlideMs: 0,
  formShieldMs: 0,
  formPulses: false,
  coverSubmitOnHover: false,
  coverCreateOnHover: false,
  driftSubmitOnHover: false,
  unavailablePages: 0,
  firstPageStallMs: 0,
  lastRowLateMs: 0,
};

export const DEMO_USER = { username: 'demo', password: 'sandbox-demo' } as const;
export const DEMO_ASSIGNMENTS: Assignment[] = [
  { id: '12345678', label: '12345678 Staff Nurse' },
  { id: '87654321', label: '87654321 Bank Staff Nurse' },
];

export interface SandboxOptions {
  port?: number;
  /** The absences' JSON file; a fresh temporary one when not given. */
  stateFile?: string;
  seed?: Seed[];
  users?: Array<{ username: string; password: string }>;
  assignments?: Assignment[];
  faults?: Partial<Faults>;
  /** Served at /bank-holidays.json; the bundled snapshot when not given. */
  feed?: Feed;
  /** What "going away" means: the CLI exits; a test's in-process sandbox just closes. */
  onExit?: () => void;
}

export interface Sandbox {
  url: string;
  port: number;
  store: SandboxStore;
  faults: Faults;
  setFeed(feed: Feed): void;
  /** Submits seen so far, refused ones included. */
  submits(): number;
  loginAttempts(): number;
  /** Every request seen, in arrival order: `path` as sent (query included), `at` is performance.now() on arrival. */
  requests(): Array<{ method: string; path: string; at: number }>;
  /** Submits that named this day (YYYY-MM-DD), refused ones included. */
  submitsFor(date: string): number;
  /** Presses of the mouse that came while the leave form was still moving, or that landed on a layer over it. */
  misclicks(): number;
  close(): Promise<void>;
}

interface Session {
  assignmentId: string;
  submits: number;
  expired: boolean;
}

const COOKIE = 'JSESSIONID';
/** A request on an absence in one of these does not overlap it; any other status, known or not, does. */
const INACTIVE = ['Rejected', 'Cancelled', 'Withdrawn'];
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

const json = (res: ServerResponse, status: number, data: unknown) => send(res, status, 'application/json', JSON.stringify(data));

/** A local ESR that follows the contract, with switches for the faults a live ESR shows. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const faults: Faults = { ...NO_FAULTS, ...options.faults };
  const users = options.users ?? [DEMO_USER];
  const assignments = options.assignments ?? DEMO_ASSIGNMENTS;
  const stateFile = options.stateFile ?? join(mkdtempSync(join(tmpdir(), 'esr-sandbox-')), 'state.json');
  const store = new SandboxStore(stateFile, options.seed);
  const sessions = new Map<string, Session>();
  let feedBody = JSON.stringify(options.feed ?? (await loadSnapshot()));
  let submits = 0;
  let loginAttempts = 0;
  let misclicks = 0;
  let logins = 0;
  const seen: Array<{ method: string; path: string; at: number }> = [];
  /** The days each submit named, as ISO dates (null where the form held no date). */
  const named: Array<{ start: string | null; end: string | null }> = [];
  /** Absences saved by this server, which hideNewAbsences keeps off the list. */
  const createdHere = new Set<number>();
  let gone = false;
  const sockets = new Set<Socket>();

  function sessionIdOf(req: IncomingMessage): string | undefined {
    return new RegExp(`${COOKIE}=([a-f0-9]+)`).exec(req.headers.cookie ?? '')?.[1];
  }

  function sessionOf(req: IncomingMessage): Session | undefined {
    const id = sessionIdOf(req);
    const session = id ? sessions.get(id) : undefined;
    return session && !session.expired ? session : undefined;
  }

  function goAway(): void {
    gone = true;
    server.close();
    for (const socket of sockets) socket.destroy();
    options.onExit?.();
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    loginAttempts += 1;
    const form = new URLSearchParams(await readBody(req));
    const known = users.some((u) => u.username === form.get('username') && u.password === form.get('password'));
    const spent = faults.refuseLoginAfter !== null && logins >= faults.refuseLoginAfter;
    if (faults.refuseLogin || spent || !known) return send(res, 200, 'text/html', loginPage(true));
    logins += 1;
    const id = randomBytes(16).toString('hex');
    sessions.set(id, { assignmentId: assignments[0]!.id, submits: 0, expired: false });
    res.writeHead(303, { location: '/dashboard/web/', 'set-cookie': `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
    res.end();
  }

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    submits += 1;
    const attempt = submits;
    const session = sessionOf(req);
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, string>;
    named.push({ start: fromEsrDate(body.start ?? ''), end: fromEsrDate(body.end ?? '') });
    await delay(faults.processingMs);
    // A request whose page went away before ESR finished is lost, as in the live ESR.
    if (req.socket.destroyed) return;
    if (!session) return json(res, 401, { error: 'session' });
    if (faults.transientSubmits.includes(attempt)) return json(res, 500, { error: TRANSIENT_ERROR });

    const start = fromEsrDate(body.start ?? '');
    const end = fromEsrDate(body.end ?? '');
    if (!assignments.some((a) => a.id === body.assignmentId)) return json(res, 400, { error: 'Select an assignment.' });
    if (!body.reason) return json(res, 400, { error: 'Select a leave reason.' });
    if (!start || !end) return json(res, 400, { error: 'Enter dates as dd/mm/yyyy.' });
    if (end < start) return json(res, 400, { error: 'The end date must not be before the start date.' });
    // A seeded row whose dates are not dates ("TBC") cannot be compared, so it overlaps nothing.
    const overlaps = store.absences(body.assignmentId).some((a) => {
      const [from, to] = [fromEsrDate(a.start), fromEsrDate(a.end)];
      return !INACTIVE.includes(a.status) && from !== null && to !== null && from <= end && start <= to;
    });
    if (overlaps && faults.refuseOverlaps) return json(res, 409, { error: 'This request overlaps with an existing absence. Change the dates.' });

    const created = store.add({
      assignmentId: body.assignmentId!,
      start: body.start!,
      end: body.end!,
      reason: body.reason,
      status: 'Awaiting Approval',
      comments: body.comments ?? '',
    });
    createdHere.add(created.id);
    session.submits += 1;
    if (faults.expireSessionAfterSubmits !== null && session.submits >= faults.expireSessionAfterSubmits) session.expired = true;
    if (faults.exitAfterSubmits !== null && attempt >= faults.exitAfterSubmits) return goAway();
    if (faults.savedButFailedSubmits.includes(attempt)) return json(res, 500, { error: TRANSIENT_ERROR });
    json(res, 200, { absence: created });
  }

  function listHtml(session: Session, url: URL, path: string): string {
    const page = Number(url.searchParams.get('page') ?? '1');
    const index = assignments.findIndex((a) => a.id === session.assignmentId);
    return absenceList({
      ...faults,
      absences: store.absences(session.assignmentId).filter((a) => !(faults.hideNewAbsences && createdHere.has(a.id))),
      page: Number.isInteger(page) && page >= 1 ? page : 1,
      path,
      absenceType: `Annual Leave Hours ${index + 1}`,
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '/');
    if (path === '/bank-holidays.json') {
      const etag = `"${createHash('sha1').update(feedBody).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return send(res, 304, 'application/json', '', { etag });
      return send(res, 200, 'application/json', feedBody, { etag });
    }
    if (path === '/dashboard/web/sandbox.js') return send(res, 200, 'text/javascript', PAGE_SCRIPT);
    if (path === '/dashboard/c/portal/logout/' || path === '/dashboard/c/portal/logout') {
      const id = sessionIdOf(req);
      if (id) sessions.delete(id);
      return send(res, 200, 'text/html', loggedOutPage());
    }
    if (path === '/dashboard/api/absences' && req.method === 'POST') return submit(req, res);
    if (path === '/dashboard/api/misclick' && req.method === 'POST') {
      misclicks += 1;
      return json(res, 200, {});
    }
    const cancelled = /^\/dashboard\/api\/absences\/(\d+)\/cancel$/.exec(path);
    if (cancelled && req.method === 'POST') {
      const session = sessionOf(req);
      if (!session) return json(res, 401, { error: 'session' });
      const absence = store.setStatus(Number(cancelled[1]), session.assignmentId, 'Cancelled');
      return absence ? json(res, 200, { absence }) : json(res, 404, { error: 'No such absence.' });
    }
    if (path === '/dashboard/web/' || path === '/dashboard/web' || path === '/') {
      if (req.method === 'POST') return login(req, res);
      const session = sessionOf(req);
      if (!session) return send(res, 200, 'text/html', loginPage(false));
      const chosen = url.searchParams.get('assignment');
      if (chosen && assignments.some((a) => a.id === chosen)) session.assignmentId = chosen;
      const page = dashboardPage({
        assignments,
        selected: session.assignmentId,
        list: faults.absencesPage ? null : listHtml(session, url, '/dashboard/web/'),
        reloadAfterSubmit: faults.reloadAfterSubmit || listSwitched(faults),
        listFirst: faults.rowCancelLinks,
        form: { slideMs: faults.formSlideMs, shieldMs: faults.formShieldMs, pulses: faults.formPulses, coverSubmitOnHover: faults.coverSubmitOnHover, driftSubmitOnHover: faults.driftSubmitOnHover,
          coverCreateOnHover: faults.coverCreateOnHover },
      });
      const split = faults.lastRowLateMs > 0 ? page.lastIndexOf('<tr') : -1;
      if (split < 0) return send(res, 200, 'text/html', page);
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      res.write(page.slice(0, split));
      await delay(faults.lastRowLateMs);
      res.end(page.slice(split));
      return;
    }
    if (faults.absencesPage && (path === ABSENCES_PATH || path === `${ABSENCES_PATH}/`)) {
      const session = sessionOf(req);
      if (!session) return send(res, 200, 'text/html', loginPage(false));
      const assignment = assignments.find((a) => a.id === session.assignmentId)!;
      return send(res, 200, 'text/html', absencesPage(assignment, listHtml(session, url, ABSENCES_PATH)));
    }
    send(res, 404, 'text/plain', 'Not found');
  }

  let pageLoads = 0;
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? 'GET', path: req.url ?? '/', at: performance.now() });
    const pageLoad = req.method === 'GET' && /^\/dashboard\/web\/?(\?|$)/.test(req.url ?? '') ? ++pageLoads : 0;
    void (async () => {
      await delay(faults.latencyMs + (pageLoad === 1 ? faults.firstPageStallMs : 0));
      if (gone) return;
      if (pageLoad > 0 && pageLoad <= faults.unavailablePages) return send(res, 503, 'text/html', '<h1>Service Unavailable</h1>');
      await route(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: `An unexpected error has occurred (${(error as Error).message})` });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    faults,
    setFeed: (feed) => {
      feedBody = JSON.stringify(feed);
    },
    submits: () => submits,
    loginAttempts: () => loginAttempts,
    requests: () => seen.map((r) => ({ ...r })),
    misclicks: () => misclicks,
    submitsFor: (date) =>
      named.filter(({ start, end }) => (start && end ? start <= date && date <= end : start === date || end === date)).length,
    close: () =>
      new Promise<void>((resolve) => {
        gone = true;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        if (!server.listening) resolve();
      }),
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = (req: IncomingMessage, res: ServerResponse) => void;

/** A local GOV.UK stand-in: each request takes the next reply in the script, the last one repeats. */
export interface FeedServer {
  url: string;
  requests: IncomingMessage[];
  script: (...replies: Reply[]) => void;
  close: () => Promise<void>;
}

export const reply = {
  json(body: string, headers: Record<string, string> = {}): Reply {
    return (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
  },
  /** 304 when the client's If-None-Match is this ETag, else the body with it. */
  etag(body: string, etag: string): Reply {
    return (req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json', etag });
        res.end(body);
      }
    };
  },
  status(code: number): Reply {
    return (_req, res) => {
      res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(`status ${code}`);
    };
  },
  /** A webhook receiver: keeps each request's body in `bodies`, then answers with `status`. */
  record(bodies: string[], status = 200): Reply {
    return (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    };
  },
  hang(): Reply {
    return () => undefined;
  },
};

export async function startFeedServer(...initial: Reply[]): Promise<FeedServer> {
  let replies = initial;
  let served = 0;
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    const next = replies[Math.min(served, replies.length - 1)]!;
    served += 1;
    next(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/bank-holidays.json`,
    requests,
    script: (...next) => {
      replies = next;
      served = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A loopback stand-in for the Hub's file endpoint (`GET /<org>/<name>/resolve/<revision>/<file>`), as
 * huggingface.co answers it: Range requests → 206 with Content-Range, ETag (the git blob id), X-Repo-Commit;
 * errors with X-Error-Code (RepoNotFound, EntryNotFound, GatedRepo). Started by the tests on 127.0.0.1 only.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRepo {
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  /** file sizes to announce beyond the bytes given (a checkpoint's data area, never requested) */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly commit: string;
  /** 401 unless this token is sent */
  readonly gatedToken?: string;
  /** answer only after this many ms */
  readonly delayMs?: number;
}

export interface HubServer {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export const gitBlobId = (text: string | Uint8Array) => createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0`).update(text).digest("hex");

export async function startHub(repos: Readonly<Record<string, FakeRepo>>): Promise<HubServer> {
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const m = /^\/([^/]+\/[^/]+)\/(?:resolve|raw)\/([^/]+)\/(.+)$/.exec(req.url ?? "");
    const repo = m ? repos[m[1]!] : undefined;
    const fail = (status: number, code: string) => {
      res.writeHead(status, { "X-Error-Code": code, "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: code }));
    };
    const answer = () => {
      if (!m || !repo) return fail(m ? 401 : 404, "RepoNotFound"); // the Hub answers 401 for an unknown repo without a token
      if (repo.gatedToken && req.headers.authorization !== `Bearer ${repo.gatedToken}`) return fail(401, "GatedRepo");
      if (m[2] !== "main" && m[2] !== repo.commit) return fail(404, "RevisionNotFound");
      const file = decodeURIComponent(m[3]!);
      const text = repo.files[file];
      if (text === undefined) return fail(404, "EntryNotFound");
      const body = Buffer.from(text);
      const size = repo.sizes?.[file] ?? body.length;
      const headers = { ETag: `"${gitBlobId(text)}"`, "X-Repo-Commit": repo.commit, "Accept-Ranges": "bytes" };
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ""));
      if (range) {
        const start = Number(range[1]);
        const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
        res.writeHead(206, { ...headers, "Content-Range": `bytes ${start}-${end}/${size}` });
        const part = Buffer.alloc(end - start + 1);
        body.subarray(start, end + 1).copy(part);
        return res.end(part);
      }
      if (req.method === "HEAD") {
        res.writeHead(200, { ...headers, "Content-Length": size });
        return res.end();
      }
      if (size !== body.length) return fail(416, "RangeRequired"); // never send a checkpoint's data whole
      res.writeHead(200, headers);
      res.end(body);
    };
    if (repo?.delayMs) {
      const t = setTimeout(() => (timers.delete(t), answer()), repo.delayMs);
      timers.add(t);
    } else answer();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

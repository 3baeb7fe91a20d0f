// NODE_EXTRA_CA_CERTS without its start-up cost. Node reads that file and builds its whole root
// certificate store when the process starts (~35 ms of CPU per run where it is set, as on many CI
// machines), although most tix commands never open a TLS connection. bin/tix therefore passes the
// file on as TIX_EXTRA_CA_CERTS instead, and the code that downloads (this thread or the download
// worker) adds those certificates to Node's bundled ones when it first connects.

import type * as NodeFs from "node:fs";
import type * as NodeTls from "node:tls";

/**
 * Makes `tls.connect` (which `fetch` uses) trust the certificates of $TIX_EXTRA_CA_CERTS besides
 * Node's bundled roots, unless a connection names its own CAs. Self-contained (no imports, no
 * outer names) because the download worker runs its source text.
 */
export function trustExtraCaCerts(tls: typeof NodeTls, fs: typeof NodeFs): void {
  const file = process.env["TIX_EXTRA_CA_CERTS"];
  const patched = tls as { connect: typeof NodeTls.connect; tixExtraCa?: boolean };
  if (file === undefined || file === "" || patched.tixExtraCa === true) return;
  patched.tixExtraCa = true;
  let ca: string[] | null | undefined;
  const connect = tls.connect;
  patched.connect = function (this: unknown, ...args: unknown[]) {
    const options = args[0] as NodeTls.ConnectionOptions | null;
    if (options !== null && typeof options === "object" && options.ca === undefined && options.secureContext === undefined) {
      if (ca === undefined) {
        try {
          ca = [...tls.rootCertificates, fs.readFileSync(file, "latin1")];
        } catch {
          // As Node does with an unreadable NODE_EXTRA_CA_CERTS: the bundled roots only.
          ca = null;
        }
      }
      if (ca !== null) args[0] = { ...options, ca };
    }
    return (connect as (...a: unknown[]) => NodeTls.TLSSocket).apply(this, args);
  } as typeof NodeTls.connect;
}

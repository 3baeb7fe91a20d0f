// How `tix run`/`tix shell` end when their program ends: with its exit status, or killed by the
// same signal (as if tix had exec'd it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import type { LocalStore } from "../store/local-store.js";
import { execInStore } from "./exec-in-store.js";

/** A store seen where it is (as the real /nix is): programs run directly, without a namespace. */
const directStore = { storeDir: "/nix/store", realStoreDir: "/nix/store", toPhysical: (p: string) => p } as unknown as LocalStore;

test("execInStore: reports the program's exit status, or the signal that killed it", async () => {
  assert.deepEqual(await execInStore(directStore, ["sh", "-c", "exit 4"]), { code: 4, signal: null });
  assert.deepEqual(await execInStore(directStore, ["sh", "-c", "kill -TERM $$"]), { code: null, signal: "SIGTERM" });
  // Checked before anything is started.
  assert.throws(() => execInStore(directStore, ["/no/such/program"]), /unable to execute '\/no\/such\/program': No such file or directory/);
});

test("exitLikeProgram: a program killed by a signal kills tix with the same signal", () => {
  const module = pathToFileURL(new URL("./exec-in-store.js", import.meta.url).pathname).href;
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
    const script = `import { exitLikeProgram } from ${JSON.stringify(module)};
const ignore = () => {}; process.on("SIGINT", ignore); process.off("SIGINT", ignore);
const status = exitLikeProgram({ code: null, signal: ${JSON.stringify(signal)} });
console.log("still alive", status);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(r.signal, signal, r.stdout + r.stderr);
  }
  const plain = `import { exitLikeProgram } from ${JSON.stringify(module)}; process.exitCode = exitLikeProgram({ code: 3, signal: null });`;
  assert.equal(spawnSync(process.execPath, ["--input-type=module", "-e", plain]).status, 3);
});

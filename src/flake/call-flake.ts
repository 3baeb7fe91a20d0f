// Turning a locked flake into its value: each lock node becomes `outputs // sourceInfo // { inputs;
// outputs; sourceInfo; outPath; _type = "flake"; }` (or just the source for `flake = false`), lazily.

import * as path from "node:path";
import type { FetchedTree } from "../fetch/types.js";
import type { Evaluator } from "../eval/evaluator.js";
import { expectAttrs } from "../eval/expect.js";
import { Attrs, NixString, Thunk, type Value } from "../eval/value.js";
import { FlakeError } from "./errors.js";
import { fetchFlakeRef, flakeDirOf, type FlakeEnv } from "./flake-env.js";
import { realFlakeFile } from "./flake-file.js";
import { isRelative, type PathFlakeRef } from "./flake-ref.js";
import { toBytes } from "./load-flake.js";
import type { FlakeSource, LockedFlake } from "./lock.js";
import { findInput, type LockNode } from "./lock-file.js";

/** `%Y%m%d%H%M%S` (UTC) of a Unix time. */
export function formatLastModifiedDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** The attribute set `fetchTree` returns for a tree (outPath with its store path as context). */
export function sourceInfoAttrs(tree: FetchedTree, outPath?: string): Attrs {
  const m = new Map<string, Value>();
  const out = outPath ?? tree.storePath;
  m.set("outPath", new NixString(toBytes(out), new Set([tree.storePath])));
  m.set("narHash", tree.narHash);
  if (tree.rev !== undefined) {
    m.set("rev", tree.rev);
    m.set("shortRev", tree.shortRev ?? tree.rev.slice(0, 7));
  }
  if (tree.dirtyRev !== undefined) {
    m.set("dirtyRev", tree.dirtyRev);
    m.set("dirtyShortRev", tree.dirtyShortRev ?? tree.dirtyRev.slice(0, 7) + "-dirty");
  }
  if (tree.revCount !== undefined) m.set("revCount", tree.revCount);
  if (tree.lastModified !== undefined) {
    m.set("lastModified", tree.lastModified);
    m.set("lastModifiedDate", tree.lastModifiedDate ?? formatLastModifiedDate(tree.lastModified));
  }
  if (tree.submodules !== undefined) m.set("submodules", tree.submodules);
  return new Attrs(m);
}

/** Evaluates a locked flake: returns the root flake's value (what `getFlake` returns). */
export function callFlake(env: FlakeEnv, ev: Evaluator, locked: LockedFlake): Value {
  const lock = locked.lockFile;
  const values = new Map<LockNode, Thunk>();
  const sources = new Map<LockNode, FlakeSource>();
  sources.set(lock.root, { tree: locked.flake.tree, flakeDir: locked.flake.flakeDir });

  const sourceOf = (node: LockNode): FlakeSource => {
    let s = sources.get(node);
    if (s !== undefined) return s;
    if (node.kind !== "locked") throw new Error("unreachable");
    if (isRelative(node.locked)) {
      const parent = node.parent ?? [];
      const parentNode = parent.length === 0 ? lock.root : findInput(lock, parent);
      if (parentNode === undefined) throw new FlakeError(`cannot find the parent '${parent.join("/")}' of a relative path input`);
      const ps = sourceOf(parentNode);
      s = { tree: ps.tree, flakeDir: path.posix.normalize(path.posix.join(ps.flakeDir, (node.locked as PathFlakeRef).path)) };
    } else {
      const tree = fetchFlakeRef(env, node.locked);
      s = { tree, flakeDir: flakeDirOf(tree, node.locked.dir) };
    }
    sources.set(node, s);
    return s;
  };

  const valueOf = (node: LockNode): Thunk => {
    let t = values.get(node);
    if (t !== undefined) return t;
    t = new Thunk(() => makeValue(node), []);
    values.set(node, t);
    return t;
  };

  const makeValue = (node: LockNode): Value => {
    const src = sourceOf(node);
    const sourceInfo = sourceInfoAttrs(src.tree);
    const outPath = src.flakeDir;
    if (node.kind === "locked" && !node.isFlake) {
      return outPath === src.tree.storePath ? sourceInfo : sourceInfoAttrs(src.tree, outPath);
    }
    const inputs = new Map<string, Value>();
    for (const [name, edge] of node.inputs) {
      if (edge.kind === "locked") inputs.set(toBytes(name), valueOf(edge));
      else {
        const target = new Thunk(() => {
          const n = findInput(lock, edge.path);
          if (n === undefined) throw new FlakeError(`input '${edge.path.join("/")}' does not exist`);
          return valueOf(n).force();
        }, []);
        inputs.set(toBytes(name), target);
      }
    }
    const inputsAttrs = new Attrs(inputs);
    const outputsFn =
      node.kind === "root"
        ? locked.flake.outputs
        : new Thunk(() => {
            const file = realFlakeFile(ev.state.io, toBytes(ev.state.settings.storeDir), toBytes(src.tree.storePath), toBytes(path.posix.join(src.flakeDir, "flake.nix")), () => `flake '${src.flakeDir}'`);
            const top = expectAttrs(ev.evalFile(file), null);
            const o = top.get("outputs");
            if (o === undefined) throw new FlakeError(`flake '${src.flakeDir}' lacks attribute 'outputs'`);
            return o instanceof Thunk ? o.force() : o;
          }, []);

    let self!: Thunk;
    const outputs = new Thunk(() => {
      const args = new Map(inputs);
      args.set("self", self);
      return ev.state.call(outputsFn, [new Attrs(args)], null);
    }, []);
    self = new Thunk(() => {
      const o = expectAttrs(outputs.force(), "while evaluating the outputs of a flake");
      const m = new Map<string, Value>(o.map);
      for (const [k, v] of sourceInfo.map) m.set(k, v);
      m.set("outPath", outPath === src.tree.storePath ? sourceInfo.get("outPath")! : new NixString(toBytes(outPath), new Set([src.tree.storePath])));
      m.set("inputs", inputsAttrs);
      m.set("outputs", outputs);
      m.set("sourceInfo", sourceInfo);
      m.set("_type", "flake");
      return new Attrs(m);
    }, []);
    return self.force();
  };

  return valueOf(lock.root);
}

/** Just the `outputs` of the root flake (what installables look into). */
export function flakeOutputs(env: FlakeEnv, ev: Evaluator, locked: LockedFlake): Value {
  const v = callFlake(env, ev, locked);
  const set = expectAttrs(v instanceof Thunk ? v.force() : v, null);
  return set.get("outputs")!;
}

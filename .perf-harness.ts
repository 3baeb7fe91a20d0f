// temporary perf harness (not part of the project; lives outside src)
import { Evaluator } from "./src/eval/evaluator.js";
import { nodeEvalIO } from "./src/eval/fs-io.js";
import { defaultSettings } from "./src/eval/state.js";
import { printValue } from "./src/eval/print.js";
import { Thunk } from "./src/eval/value.js";
import { STORE_BUILTINS } from "./src/store/builtins/index.js";
const store: any = { storeDir: "/nix/store", addPath: () => { throw new Error("x"); }, addText: () => { throw new Error("x"); }, isValid: () => false, readText: () => "", queryReferences: () => [] };
const files = process.argv.slice(3);
const reps = +process.argv[2];
for (const f of files) {
  const times: number[] = [];
  let out = "";
  for (let r = 0; r < reps; r++) {
    const t0 = process.cpuUsage();
    const ev = new Evaluator({ settings: { ...defaultSettings }, io: nodeEvalIO(process.env), store, extraBuiltins: STORE_BUILTINS });
    if (process.env.WARM) ev.state.forceDeep(ev.evalFile(process.env.WARM));
    let v = ev.evalFile(f);
    if (v instanceof Thunk) v = v.force();
    v = ev.state.forceDeep(v);
    out = printValue(v, { style: "instantiate" });
    const t = process.cpuUsage(t0);
    times.push(Math.round(t.user / 1000));
  }
  console.log(f.split("/").pop(), times.join(" "), out.length);
}

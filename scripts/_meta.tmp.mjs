import * as esbuild from "esbuild";
const r = await esbuild.build({ entryPoints: ["src/cli/main.ts"], bundle: true, platform: "node", format: "cjs", target: "node20", write: false, metafile: true, outfile: "/tmp/bundle-work/x.cjs", external: ["bindings","better-sqlite3"], logLevel: "error", define: { "import.meta.url": "__u" } });
const ins = Object.values(r.metafile.outputs)[0].inputs;
const byDir = {};
for (const [f, v] of Object.entries(ins)) { const d = f.split("/").slice(0, 2).join("/"); byDir[d] = (byDir[d] ?? 0) + v.bytesInOutput; }
console.log(Object.entries(byDir).sort((a,b)=>b[1]-a[1]));
const byFile = Object.entries(ins).map(([f,v])=>[f,v.bytesInOutput]).sort((a,b)=>b[1]-a[1]);
console.log(byFile.slice(0,40));

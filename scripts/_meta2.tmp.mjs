import * as esbuild from "esbuild";
for (const entry of process.argv.slice(2)) {
const r = await esbuild.build({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", target: "node20", write: false, metafile: true, outfile: "/tmp/bundle-work/x.cjs", external: ["bindings","better-sqlite3"], logLevel: "error", define: { "import.meta.url": "__u" } });
const ins = Object.values(r.metafile.outputs)[0].inputs;
const byDir = {}; let tot=0;
for (const [f, v] of Object.entries(ins)) { const d = f.split("/").slice(0, 2).join("/"); byDir[d] = (byDir[d] ?? 0) + v.bytesInOutput; tot+=v.bytesInOutput; }
console.log(entry, tot, JSON.stringify(Object.entries(byDir).sort((a,b)=>b[1]-a[1])));
}

import * as esbuild from "esbuild";
import * as fs from "node:fs";
const src = fs.readFileSync(process.argv[2], "latin1");
for (const opts of [{ minifyWhitespace: true }, { minifyWhitespace: true, minifySyntax: true }, { minify: true }]) {
  const r = await esbuild.transform(src, { ...opts, loader: "js", format: "cjs", charset: "ascii", target: "node20" });
  console.log(JSON.stringify(opts), r.code.length);
  if (opts.minifySyntax && !opts.minify) fs.writeFileSync(process.argv[3], r.code, "latin1");
}

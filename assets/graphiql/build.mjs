// Bundle GraphiQL (from the pinned npm packages) into the directory named on the command line.
// Run through `unionaid assets build`, which installs the packages with `npm ci` first.
import { build } from "esbuild";

const outdir = process.argv[2];
if (!outdir) {
  console.error("usage: node build.mjs OUTDIR");
  process.exit(2);
}
await build({
  entryPoints: ["entry.js"],
  bundle: true,
  minify: true,
  format: "iife",
  outdir,
  entryNames: "graphiql",
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".svg": "dataurl" },
  logLevel: "warning",
});
console.log(`GraphiQL bundled into ${outdir}`);

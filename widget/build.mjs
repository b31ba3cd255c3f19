// Rebuilds dist/widget.js from src/ (run `npm ci && npm run build` in widget/).
// The built file is committed, so serving and testing the widget needs no npm.
import { build } from "esbuild";

await build({
  entryPoints: ["src/widget.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  banner: {
    js: "/* <pathway-chat> widget for the IMG-to-CMA assistant. Source: widget/src, built with widget/build.mjs. */",
  },
  outfile: "dist/widget.js",
  logLevel: "info",
});

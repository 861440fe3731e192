// citeproc-js (npm `citeproc`) and citation-js, for bench/csl_compare.py only: never part of a build.
// Reads a JSON job on stdin:
//   {"bib": "<BibTeX text>", "styles": {"ieee": "<CSL XML>", ...}, "locales": "<dir>",
//    "ours": [CSL-JSON items the engine made]}
// and writes {"citationjs": [items], "refs": {style: {"citationjs": {id: html}, "ours": {id: html}}}}:
// each entry's reference rendered alone (no disambiguation across entries).
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");

const job = JSON.parse(fs.readFileSync(0, "utf8"));
const citationjs = new Cite(job.bib, { forceType: "@bibtex/text" }).data;

function render(styleXml, items) {
  const byId = {};
  for (const item of items) byId[String(item.id)] = item;
  const sys = {
    retrieveLocale: (lang) => {
      const file = path.join(job.locales, `locales-${lang}.xml`);
      return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
    },
    retrieveItem: (id) => byId[String(id)],
  };
  const out = {};
  const engine = new CSL.Engine(sys, styleXml, "en-US");
  engine.setOutputFormat("html");
  for (const item of items) {
    engine.updateItems([String(item.id)]);
    const [, entries] = engine.makeBibliography();
    out[String(item.id)] = entries.join("");
  }
  return out;
}

const refs = {};
for (const [name, xml] of Object.entries(job.styles)) {
  refs[name] = { citationjs: render(xml, citationjs), ours: render(xml, job.ours) };
}
process.stdout.write(JSON.stringify({ citationjs, refs }));

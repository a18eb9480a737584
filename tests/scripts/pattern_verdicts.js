#!/usr/bin/env node
// ECMA-262 verdicts for the shared pattern corpus, from V8 (Node.js).
//
// Reads the corpus strings from tests/data/pattern_corpus.json and every
// `pattern` of the botocore model (model/data/ivschat/...), of the Smithy
// model (../shared/models/ivschat/...) and of the overlay
// (model/ivschat.overlay.json), and writes back into the same file, for each
// pattern and reading, the indexes of the corpus strings it accepts:
//
//   search: new RegExp(p).test(s)            (Smithy: not implicitly anchored)
//   whole:  new RegExp("^(?:" + p + ")$").test(s)  (botocore: the whole value)
//
// No flags, as Smithy specifies. tests/tests/it/validation_patterns.rs checks
// that the generator's DFAs give exactly these verdicts. Run from the
// repository root after editing the corpus or the models:
//
//   node tests/scripts/pattern_verdicts.js
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "..");
const corpusFile = path.join(root, "tests", "data", "pattern_corpus.json");
const botocore = JSON.parse(fs.readFileSync(path.join(root, "model", "data", "ivschat", "2020-07-14", "service-2.json")));
const smithy = JSON.parse(fs.readFileSync(path.join(root, "..", "shared", "models", "ivschat", "ivschat-2020-07-14.smithy.json")));
const overlay = JSON.parse(fs.readFileSync(path.join(root, "model", "ivschat.overlay.json")));
const corpus = JSON.parse(fs.readFileSync(corpusFile));

const wanted = new Map(); // key "semantics\u0000pattern" -> {pattern, semantics}
function want(pattern, semantics) {
  wanted.set(semantics + "\u0000" + pattern, { pattern, semantics });
}
for (const shape of Object.values(botocore.shapes)) {
  if (typeof shape.pattern === "string") want(shape.pattern, "whole");
}
for (const shape of Object.values(smithy.shapes)) {
  const traits = [shape.traits || {}, ...Object.values(shape.members || {}).map((m) => m.traits || {})];
  for (const t of traits) {
    if (typeof t["smithy.api#pattern"] === "string") want(t["smithy.api#pattern"], "search");
  }
}
for (const e of overlay.entries) {
  if (typeof e.pattern === "string") {
    want(e.pattern, "search");
    want(e.pattern, "whole");
  }
}

const verdicts = [...wanted.values()]
  .sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : a.semantics < b.semantics ? -1 : 1))
  .map(({ pattern, semantics }) => {
    const re = semantics === "search" ? new RegExp(pattern) : new RegExp("^(?:" + pattern + ")$");
    const accepts = [];
    corpus.strings.forEach((s, i) => {
      if (re.test(s)) accepts.push(i);
    });
    return { pattern, semantics, accepts };
  });

const out = {
  engine: `V8 ${process.versions.v8} (Node.js ${process.version}), RegExp without flags`,
  strings: corpus.strings,
  verdicts,
};
fs.writeFileSync(corpusFile, JSON.stringify(out, null, 1) + "\n");
console.log(`${verdicts.length} patterns x ${corpus.strings.length} strings -> ${corpusFile}`);

// Dolos anchor for bench/plagiarism.py, through @dodona/dolos-lib (installed by the benchmark in the anchors folder).
// usage: node dolos_runner.mjs ANCHORS_DIR COHORT.json OUT.json
// COHORT.json: {"submissions": {"name": ["/abs/file.py", ...], ...}}. Every file is Python (Dolos analyses one
// language per run). Writes {"version", "variants": {"token_weighted": [[a, b, score], ...], "max_file_pair": ...}}:
// the token-weighted coverage of the two submissions (Dolos's own file-pair formula lifted to submissions; see
// bench/plagiarism_anchors/common.py), and the highest Dolos file-pair similarity between two submissions.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [anchors, cohortPath, outPath] = process.argv.slice(2);
const libDir = path.join(anchors, "dolos", "node_modules", "@dodona", "dolos-lib");
const { Dolos } = await import(pathToFileURL(path.join(libDir, "dist", "index.js")).href);
const version = JSON.parse(readFileSync(path.join(libDir, "package.json"), "utf8")).version;

const cohort = JSON.parse(readFileSync(cohortPath, "utf8")).submissions;
const owner = new Map();
const paths = [];
for (const [name, files] of Object.entries(cohort)) {
  for (const f of files) {
    owner.set(path.resolve(f), name);
    paths.push(path.resolve(f));
  }
}
const dolos = new Dolos({ language: "python" });
const report = await dolos.analyzePaths(paths);
const entries = report.entries();
const subOf = (entry) => owner.get(path.resolve(entry.file.path));
const total = new Map(); // submission -> sum of k-grams over its files
for (const e of entries) {
  const s = subOf(e);
  total.set(s, (total.get(s) || 0) + e.kgrams.length);
}

// Candidate file pairs: those sharing at least one fingerprint (every other pair has similarity 0).
// Dolos's own report.allPairs() builds all O(F^2) Pair objects; the scores are the same.
const byFile = new Map(entries.map((e) => [e.file.id, e]));
const candidates = new Set();
for (const fp of report.sharedFingerprints()) {
  const ids = [...new Set(fp.files().map((f) => f.id))];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = Math.min(ids[i], ids[j]);
      const b = Math.max(ids[i], ids[j]);
      candidates.add(a * 1048576 + b);
    }
  }
}
// best[fileId][otherSubmission] = max covered k-grams of that file against any file of otherSubmission
const best = new Map();
const maxPair = new Map(); // "a\u0000b" (a < b) -> highest file-pair similarity
const note = (fileId, other, covered) => {
  let m = best.get(fileId);
  if (!m) best.set(fileId, (m = new Map()));
  if ((m.get(other) || 0) < covered) m.set(other, covered);
};
for (const key of candidates) {
  const a = byFile.get(Math.floor(key / 1048576));
  const b = byFile.get(key % 1048576);
  const sa = subOf(a);
  const sb = subOf(b);
  if (sa === sb) continue;
  const pair = report.getPair(a.file, b.file);
  note(a.file.id, sb, pair.leftCovered);
  note(b.file.id, sa, pair.rightCovered);
  const mk = sa < sb ? sa + "\u0000" + sb : sb + "\u0000" + sa;
  if ((maxPair.get(mk) || 0) < pair.similarity) maxPair.set(mk, pair.similarity);
}
const covered = new Map(); // "a\u0000b" -> covered k-grams of a's files by b
for (const [fileId, m] of best) {
  const s = subOf(byFile.get(fileId));
  for (const [other, c] of m) {
    const k = s + "\u0000" + other;
    covered.set(k, (covered.get(k) || 0) + c);
  }
}
const scores = [];
for (const [k, c] of covered) {
  const [a, b] = k.split("\u0000");
  if (a >= b) continue;
  const back = covered.get(b + "\u0000" + a) || 0;
  const denom = (total.get(a) || 0) + (total.get(b) || 0);
  scores.push([a, b, denom > 0 ? (c + back) / denom : 0]);
}
const maxFilePair = [...maxPair].map(([k, v]) => [...k.split("\u0000"), v]);
writeFileSync(outPath, JSON.stringify({
  version: `dolos-lib ${version}`,
  variants: { token_weighted: scores, max_file_pair: maxFilePair },
}));

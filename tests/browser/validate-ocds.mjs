// Validates a built site's /data/ocds.json against the official Open Contracting Data
// Standard 1.1 release package and release schemas (vendored in ./ocds/, JSON Schema draft 4),
// with Ajv, and checks what the schemas cannot: ocids and release ids unique, every
// organisation reference naming a party.
//
//   node tests/browser/validate-ocds.mjs <site-dir>
//
// Prints each problem, then `N passed, M failed` (releases). Exit status: 0 when valid,
// 1 when not, 2 for a usage error.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const site = process.argv[2];
if (!site) {
  console.error('usage: node tests/browser/validate-ocds.mjs <site-dir>');
  process.exit(2);
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const releaseSchema = readJson(join(here, 'ocds', 'release-schema.json'));
const packageSchema = readJson(join(here, 'ocds', 'release-package-schema.json'));
const data = readJson(join(site, 'data', 'ocds.json'));

// The schemas carry OCDS's own keywords (codelist, openCodelist, omitWhenMerged, versionId,
// wholeListMerge, deprecated): not strict, so Ajv ignores them as annotations.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(releaseSchema);
const validatePackage = ajv.compile(packageSchema);

const problems = [];
if (!validatePackage(data)) {
  for (const e of validatePackage.errors) {
    problems.push(`schema: ${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
  }
}

const releases = Array.isArray(data.releases) ? data.releases : [];
const failed = new Set();
const seen = new Set();
releases.forEach((release, i) => {
  const where = `/releases/${i} (${release.ocid})`;
  const fail = (message) => { problems.push(`${where}: ${message}`); failed.add(i); };
  const key = `${release.ocid} ${release.id}`;
  if (seen.has(key)) fail('ocid and release id repeat another release');
  seen.add(key);
  const parties = new Map((release.parties || []).map((p) => [p.id, p]));
  const references = [release.buyer, release.tender && release.tender.procuringEntity].filter(Boolean);
  for (const ref of references) {
    const party = parties.get(ref.id);
    if (!party) fail(`organisation reference ${ref.id} names no party`);
    else if (party.name !== ref.name) fail(`organisation reference ${ref.id} has another name than its party`);
  }
  if (release.buyer && !(parties.get(release.buyer.id)?.roles || []).includes('buyer')) {
    fail('the buyer\'s party does not have the buyer role');
  }
});
for (const error of (validatePackage.errors || [])) {
  const match = /^\/releases\/(\d+)/.exec(error.instancePath || '');
  if (match) failed.add(Number(match[1]));
}

for (const p of problems) console.log(p);
const schemaFailedWhole = problems.some((p) => p.startsWith('schema: /') && !/^schema: \/releases\/\d+/.test(p));
console.log(`ocds: ${releases.length} releases in ${join(site, 'data', 'ocds.json')}, OCDS ${data.version}`);
console.log(`${releases.length - failed.size} passed, ${failed.size + (schemaFailedWhole ? 1 : 0)} failed`);
process.exit(problems.length === 0 ? 0 : 1);

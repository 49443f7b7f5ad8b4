#!/usr/bin/env python3
"""Clears or accepts the quality warnings of the bundled example content.

1. Where an intention names a partner and already lists one of the partner's intentions in
   `related`, the partner's intention is made to list it back (the relation is mutual).
2. Every warning left gets an `accepted_warnings` entry whose reason says what the source
   document lacks; the reasons are written per lint and per source document below.

Run from the repository root after `cargo build --release`. Files that already accept
warnings are left alone: edit those by hand (the script stops and names them).
"""
import json
import re
import subprocess
import sys

BIN = "target/release/intentions"

DOCS = {
    "warwickshire-county-council": "Warwickshire County Council People Group, Commissioning Intentions (October 2013)",
    "warwickshire-north-ccg": "NHS Warwickshire North CCG's commissioning intentions, in the Health and Wellbeing Board papers of 20 November 2013",
    "south-warwickshire-ccg": "NHS South Warwickshire CCG's commissioning intentions, in the Health and Wellbeing Board papers of 20 November 2013",
    "coventry-and-rugby-ccg": "NHS Coventry and Rugby CCG's commissioning intentions, in the Health and Wellbeing Board papers of 20 November 2013",
    "public-health-warwickshire": "The Health and Wellbeing Board papers of 20 November 2013",
    "somerset-county-council": "Somerset's Three-year Commissioning Plan 2014/15 to 2016/17",
    "lancashire-county-council": "Lancashire's commissioning intentions table",
}

REASONS = {
    "no-rationale": "Source: {doc}. It gives no rationale (evidence or policy drivers) for this intention beyond what the text says; none is invented here.",
    "no-target": "Source: {doc}. It sets no measurable target and names no outcome for local people for this intention; none is invented here.",
    "no-date": "Source: {doc}. It places this intention on the commissioning cycle but gives it no period of its own; any dates the plan mentions are in the text.",
    "unreciprocated-partner": "Source: {doc}. It names the partner, but no intention in the partner's own plan on this site has been identified as the same work, so nothing links back.",
    "stale-plan": "The document carries no date or period; this site estimates 2010/11 (see the text), older than the other plans here. It is published as the council wrote it, not as a current plan.",
    "priority-without-intention": "Table 1 of the Health and Wellbeing Board report of 20 November 2013 shows Public Health Warwickshire sharing the dementia and cancer priorities, but none of the public health intentions taken from the papers is on either.",
}


def warnings():
    out = subprocess.run([BIN, "check", "--format", "json"], capture_output=True, text=True)
    report = json.loads(out.stdout)
    if report["errors"]:
        sys.exit("the content has errors: fix them first")
    return [d for d in report["diagnostics"] if d["code"]]


def front_matter(text):
    end = text.index("\n---", 3)
    return text[: end + 1], text[end + 1 :]


def add_related(path, intention_id):
    text = open(path).read()
    head, rest = front_matter(text)
    if re.search(r"^  - " + re.escape(intention_id) + r"$", head, re.M) or intention_id + "]" in head or intention_id + "," in head:
        return False
    flow = re.search(r"^related: \[(.*)\]$", head, re.M)
    if flow:
        items = [i.strip() for i in flow.group(1).split(",") if i.strip()] + [intention_id]
        head = head[: flow.start()] + "related:\n" + "".join(f"  - {i}\n" for i in items) + head[flow.end() + 1 :]
    elif re.search(r"^related:$", head, re.M):
        m = re.search(r"^related:\n((?:  - .*\n)+)", head, re.M)
        head = head[: m.end()] + f"  - {intention_id}\n" + head[m.end() :]
    else:
        head += f"related:\n  - {intention_id}\n"
    open(path, "w").write(head + rest)
    return True


def intention_id(path):
    m = re.search(r"content/intentions/([^/]+)/([^/]+)\.md$", path)
    return f"{m.group(1)}/{m.group(2)}" if m else None


def link_back():
    changed = 0
    for d in warnings():
        if d["code"] != "unreciprocated-partner":
            continue
        me = intention_id(d["file"])
        partner = re.search(r"the partner `([^`]+)`", d["message"]).group(1)
        head, _ = front_matter(open(d["file"]).read())
        related = re.findall(r"^  - (" + re.escape(partner) + r"/[a-z0-9-]+)$", head, re.M)
        related += re.findall(re.escape(partner) + r"/[a-z0-9-]+", (re.search(r"^related: \[(.*)\]$", head, re.M) or [""])[0] if re.search(r"^related: \[", head, re.M) else "")
        for other in sorted(set(related)):
            if add_related(f"content/intentions/{other}.md", me):
                changed += 1
    return changed


def accept():
    by_file = {}
    for d in warnings():
        by_file.setdefault(d["file"], [])
        if d["code"] not in by_file[d["file"]]:
            by_file[d["file"]].append(d["code"])
    for path, codes in by_file.items():
        m = re.search(r"content/(?:intentions|organisations)/([^/.]+)", path)
        doc = DOCS[m.group(1)]
        text = open(path).read()
        head, rest = front_matter(text)
        if "accepted_warnings:" not in head:
            head += "accepted_warnings:\n"
        else:
            sys.exit(f"{path} already accepts warnings: edit it by hand")
        for code in codes:
            reason = REASONS[code].format(doc=doc).replace('"', '\\"')
            head += f"  - lint: {code}\n    reason: \"{reason}\"\n"
        open(path, "w").write(head + rest)
    return len(by_file)


if __name__ == "__main__":
    print(f"linked back: {link_back()}")
    print(f"files accepting warnings: {accept()}")

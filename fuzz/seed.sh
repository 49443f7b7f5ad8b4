#!/bin/sh
# Seeds each fuzz target's corpus from the bundled content. Run from fuzz/.
# parse: the first byte picks the kind of file (see fuzz_targets/parse.rs), so each seed is
# that byte followed by a real file of the kind.
set -eu
content=../content
mkdir -p corpus/split corpus/parse corpus/markdown
n=0
seed() { # kind-byte file
    n=$((n + 1))
    { printf "\\$(printf '%03o' "$1")"; cat "$2"; } > "corpus/parse/seed-$n"
}
seed 0 "$content/site.yaml"
seed 1 "$content/taxonomies/priorities.yaml"
seed 1 "$content/taxonomies/service-areas.yaml"
for f in "$content"/areas/*.md; do seed 2 "$f"; done
for f in "$content"/organisations/*.md; do seed 3 "$f"; done
i=0
for f in "$content"/intentions/*/*.md; do
    i=$((i + 1))
    # Every fifth intention is enough to cover the shapes without slowing each run.
    [ $((i % 5)) -eq 0 ] || continue
    seed 4 "$f"
    cp "$f" "corpus/split/$(basename "$(dirname "$f")")-$(basename "$f")"
    sed '1,/^---$/{/^---$/!d};1,/^---$/d' "$f" > "corpus/markdown/$(basename "$(dirname "$f")")-$(basename "$f")"
done
for f in "$content"/market/*.md; do seed 5 "$f"; cp "$f" "corpus/split/market-$(basename "$f")"; done
for f in "$content"/organisations/*.md; do cp "$f" "corpus/markdown/org-$(basename "$f")"; done
echo "seeded: $(ls corpus/split | wc -l) split, $(ls corpus/parse | wc -l) parse, $(ls corpus/markdown | wc -l) markdown"

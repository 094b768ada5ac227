# Verdict comparison for .ci/wine.sh and .ci/agent.sh (sourced).
#
# `verdicts RESULTS.json`: one line per trial, "scenario  version  outcome
# step/item/code,...  reason", from `jetconform run --format json`.
verdicts() {
    jq -r '.results[] | [.scenario, .version, .outcome,
        ([.steps[]? | "\(.step)/\(.item)/\(.observed.code)"] | join(",")),
        (.reason // "" | tostring)] | @tsv' "$1"
}

# `same_verdicts REFERENCE.json GOT.json DIR LABEL`: the verdicts (per trial outcome, per step
# observed code) of GOT must equal REFERENCE's (the in-process mock on Linux). Left out of
# both sides: trials GOT skips for want of fault hooks (only models have them). Left out of
# the reference: trials it skips that GOT did not plan (a runner that runs one version plans
# only the scenarios that apply to it). Prints a one-line summary, or the difference and
# returns 1. Scratch files go to DIR.
same_verdicts() {
    local ref=$1 got=$2 dir=$3 label=$4
    verdicts "$got" | awk -F'\t' '$3 == "skip" && $5 ~ /fault hooks/ { print $1 "\t" $2 }' |
        sort -u >"$dir/fault"
    verdicts "$got" | awk -F'\t' '{ print $1 "\t" $2 }' | sort -u >"$dir/planned"
    verdicts "$ref" | awk -F'\t' '
        FILENAME == ARGV[1] { skip[$1 "\t" $2] = 1; next }
        FILENAME == ARGV[2] { planned[$1 "\t" $2] = 1; next }
        (($1 "\t" $2) in skip) { next }
        $3 == "skip" && !(($1 "\t" $2) in planned) { next }
        { print $1 "\t" $2 "\t" $3 "\t" $4 }' "$dir/fault" "$dir/planned" - |
        sort >"$dir/ref.tsv"
    # FILENAME, not NR == FNR: the first file may be empty.
    verdicts "$got" | awk -F'\t' '
        FILENAME == ARGV[1] { skip[$1 "\t" $2] = 1; next }
        !(($1 "\t" $2) in skip) { print $1 "\t" $2 "\t" $3 "\t" $4 }' "$dir/fault" - |
        sort >"$dir/got.tsv"
    if ! diff -u "$dir/ref.tsv" "$dir/got.tsv" >"$dir/diff"; then
        echo "$label: verdicts differ from the in-process mock's (- mock, + $label):"
        head -40 "$dir/diff"
        return 1
    fi
    echo "$label: $(wc -l <"$dir/got.tsv") trials agree with the in-process mock" \
        "($(wc -l <"$dir/fault") fault-hook trials not compared)"
}

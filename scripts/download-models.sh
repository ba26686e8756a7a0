#!/usr/bin/env bash
# Fetch GGUF files listed in models/manifest.json without the minillm jar; the same rules as
# `minillm download`: files land in <models-dir>/<model-id>/<file> only after their sha256 checks
# out (manifest, or the lock file <models-dir>/manifest.lock.json recorded on first download);
# transfers go to <models-dir>/.partial/ and resume with HTTP Range after a cut; HF_TOKEN is sent
# as a bearer token (curl drops it on redirects to another host); names from the manifest are
# validated and symlinked target directories refused.
#
# Needs: bash, curl, sha256sum (coreutils) and python3 (standard library only: reads the JSON
# manifest, writes the lock file, unpacks the wikitext zip). jq is not needed.
#
# Exit codes: 0 ok, 1 network/server/checksum failure, 2 bad input (unknown model/quant, bad manifest).
set -euo pipefail

PROG=download-models.sh
MODELS_DIR=models
MANIFEST=models/manifest.json
BASE_URL=${MINILLM_BASE_URL:-${HF_ENDPOINT:-https://huggingface.co}}
ATTEMPTS=5
RETRY_DELAY=${MINILLM_RETRY_DELAY:-2}
DRY_RUN=0
LIST=0
MODEL_ARGS=""
QUANT_ARGS=""
DATASET_ARGS=""

usage() {
    cat <<EOF
Usage: scripts/download-models.sh --model ID[,ID] --quant Q[,Q]|all [--dataset ID]
                                  [--models-dir DIR] [--manifest FILE] [--base-url URL]
                                  [--attempts N] [--dry-run] [--list]
Example: scripts/download-models.sh --model qwen2.5-0.5b-instruct --quant q4_k_m,q5_k_m,f16
         scripts/download-models.sh --dataset wikitext-2-raw
Defaults: --models-dir models, --manifest models/manifest.json,
          --base-url \$MINILLM_BASE_URL, else \$HF_ENDPOINT, else https://huggingface.co
          (files: <URL>/<repo>/resolve/<revision>/<file>)
Needs bash, curl, sha256sum and python3. HF_TOKEN, if set, is sent as "Authorization: Bearer".
EOF
}

die_input() { echo "$PROG: $*" >&2; exit 2; }
die_run() { echo "$PROG: $*" >&2; exit 1; }
info() { echo "$*" >&2; }

need_value() {
    [ $# -ge 2 ] && [ -n "$2" ] || die_input "$1 needs a value"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;  # --opt=value -> --opt value
    esac
    case "$1" in
        --model)      need_value "$@"; MODEL_ARGS="$MODEL_ARGS,$2"; shift 2 ;;
        --quant)      need_value "$@"; QUANT_ARGS="$QUANT_ARGS,$2"; shift 2 ;;
        --dataset)    need_value "$@"; DATASET_ARGS="$DATASET_ARGS,$2"; shift 2 ;;
        --models-dir) need_value "$@"; MODELS_DIR=$2; shift 2 ;;
        --manifest)   need_value "$@"; MANIFEST=$2; shift 2 ;;
        --base-url)   need_value "$@"; BASE_URL=$2; shift 2 ;;
        --attempts)   need_value "$@"; ATTEMPTS=$2; shift 2 ;;
        --dry-run)    DRY_RUN=1; shift ;;
        --list)       LIST=1; shift ;;
        -h|--help)    usage; exit 0 ;;
        *)            usage >&2; die_input "unknown option '$1'" ;;
    esac
done

case "$ATTEMPTS" in ''|*[!0-9]*|0) die_input "--attempts must be a positive number" ;; esac
case "$RETRY_DELAY" in ''|*[!0-9]*) die_input "MINILLM_RETRY_DELAY must be a whole number of seconds" ;; esac
case "$BASE_URL" in http://*|https://*) ;; *) die_input "--base-url '$BASE_URL' must be an http(s) URL" ;; esac
BASE_URL=${BASE_URL%/}

for tool in curl sha256sum python3; do
    command -v "$tool" >/dev/null 2>&1 || die_run "needs '$tool' on PATH (Debian: apt-get install ${tool/sha256sum/coreutils})"
done

# All JSON work happens here. Subcommands:
#   list MANIFEST                          -> human-readable listing
#   select MANIFEST MODELS QUANTS DATASETS LOCK -> one tab-separated line per file:
#        dir label repo revision file size sha256 extract locked-sha256 repo-path   ("-" for none)
#   lock-put LOCK KEY REPO REVISION FILE SHA SIZE
#   extract ZIP MEMBER OUT                 -> unpack one member atomically
# Name rules match dev.minillm.download.SafePaths, so both tools accept and refuse the same manifests.
PY_HELPER=$(cat <<'PY'
import json, os, re, sys, tempfile, zipfile, datetime

COMPONENT = re.compile(r"[A-Za-z0-9_+\-][A-Za-z0-9._+\-]{0,199}\Z")
REPO = re.compile(r"(datasets/)?[A-Za-z0-9_\-][A-Za-z0-9._\-]*/[A-Za-z0-9_\-][A-Za-z0-9._\-]*\Z")
REVISION = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9._\-]{0,99}\Z")
SHA = re.compile(r"[0-9a-f]{64}\Z")
URL = re.compile(r"https?://[^\s/?#]+/\S*\Z")

def bad(msg):
    sys.stderr.write("download-models.sh: " + msg + "\n")
    sys.exit(2)

def check(value, pattern, what):
    if not isinstance(value, str) or not pattern.match(value) or ".." in value:
        bad("%s %r is not a plain name (letters, digits, . _ - + only; no '/', '..', leading dot or absolute path)" % (what, value))
    return value

def norm_quant(q):
    q = q.strip().upper()
    return {"FP16": "F16", "FP32": "F32"}.get(q, q)

def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
    except FileNotFoundError:
        bad("%s: manifest not found (use --manifest)" % path)
    except ValueError as e:
        bad("%s: manifest is not valid JSON: %s" % (path, e))
    if not isinstance(m, dict) or not isinstance(m.get("models"), list):
        bad("%s: manifest needs an array 'models'" % path)
    models, datasets = {}, {}
    for e in m["models"]:
        mid = check(e.get("id"), COMPONENT, "%s: model id" % path)
        check(e.get("repo"), REPO, "%s: model '%s' repo" % (path, mid))
        files = []
        for f in e.get("files") or []:
            check(f.get("file"), COMPONENT, "%s: model '%s' file name" % (path, mid))
            files.append(entry(path, mid, e["repo"], f, norm_quant(str(f.get("quant", "")))))
        if mid in models:
            bad("%s: model id '%s' listed twice" % (path, mid))
        models[mid] = files
    for d in m.get("datasets") or []:
        did = check(d.get("id"), COMPONENT, "%s: dataset id" % path)
        url = d.get("url")
        if url is not None:
            # Data published outside the hub: fetched from this absolute URL (--base-url does not apply).
            check(url, URL, "%s: dataset '%s' url" % (path, did))
        if url is None or d.get("repo") is not None:
            check(d.get("repo"), REPO, "%s: dataset '%s' repo" % (path, did))
        check(d.get("file"), COMPONENT, "%s: dataset '%s' file name" % (path, did))
        ex = d.get("extract")
        if ex is not None:
            check(ex.rsplit("/", 1)[-1], COMPONENT, "%s: dataset '%s' extract" % (path, did))
        rpath = d.get("path")
        if rpath is not None:
            for part in str(rpath).split("/"):
                check(part, COMPONENT, "%s: dataset '%s' path" % (path, did))
        datasets[did] = entry(path, did, d.get("repo") or url, d, None, ex, rpath)
    return models, datasets

def entry(path, group, repo, f, quant, extract=None, repo_path=None):
    rev = f.get("revision") or "main"
    check(rev, REVISION, "%s: '%s' revision" % (path, group))
    sha = f.get("sha256")
    if sha is not None:
        sha = str(sha).lower()
        if not SHA.match(sha):
            bad("%s: '%s' sha256 must be 64 hex digits or null" % (path, group))
    size = f.get("size")
    if size is not None and (not isinstance(size, int) or size < 0):
        bad("%s: '%s' size must be a byte count or null" % (path, group))
    return {"dir": group, "label": group + (" " + quant if quant else ""), "quant": quant, "repo": repo,
            "revision": rev, "file": f["file"], "size": size, "sha256": sha, "extract": extract,
            "approx_mb": f.get("approx_mb"), "path": repo_path or f["file"]}

def split(arg):
    return [x for x in arg.split(",") if x.strip()]

def emit(e):
    cols = [e["dir"], e["label"], e["repo"], e["revision"], e["file"],
            "-" if e["size"] is None else str(e["size"]), e["sha256"] or "-", e["extract"] or "-",
            lock_get(e) or "-", e["path"]]
    print("\t".join(cols))

LOCK = {}

def select(path, model_arg, quant_arg, dataset_arg, lock_path):
    LOCK.update(read_lock(lock_path)["files"])
    models, datasets = load(path)
    quants = split(quant_arg)
    for mid in split(model_arg):
        if mid not in models:
            bad("unknown model '%s' in %s (known: %s)" % (mid, path, ", ".join(models)))
        files = models[mid]
        avail = ", ".join(f["quant"] for f in files)
        if not quants:
            bad("no --quant given for model '%s' (available: %s, or all)" % (mid, avail))
        if any(q.strip().lower() == "all" for q in quants):
            for f in files:
                emit(f)
            continue
        for q in quants:
            hit = [f for f in files if f["quant"] == norm_quant(q)]
            if not hit:
                bad("model '%s' has no quant '%s' in %s (available: %s, or all)" % (mid, q, path, avail))
            emit(hit[0])
    for did in split(dataset_arg):
        if did not in datasets:
            bad("unknown dataset '%s' in %s (known: %s)" % (did, path, ", ".join(datasets)))
        emit(datasets[did])

def list_manifest(path):
    models, datasets = load(path)
    print("Models (--model ID --quant Q1,Q2 | all):")
    for mid, files in models.items():
        print("  %s  %s" % (mid, files[0]["repo"] if files else ""))
        for f in files:
            size = "~%dMB" % f["approx_mb"] if f.get("approx_mb") else "?"
            print("    %-8s %-9s %-9s %s" % (f["quant"], size, "sha:known" if f["sha256"] else "sha:lock", f["file"]))
    if datasets:
        print("Datasets (--dataset ID):")
        for did, d in datasets.items():
            where = d["repo"] if d["repo"].startswith("http") else d["repo"] + "/" + d["file"]
            print("  %s  %s%s" % (did, where, " -> " + d["extract"] if d["extract"] else ""))

def read_lock(path):
    try:
        with open(path, encoding="utf-8") as f:
            lock = json.load(f)
    except FileNotFoundError:
        return {"schema_version": 1, "files": {}}
    except ValueError as e:
        bad("%s: lock file is not JSON (%s); fix or delete it" % (path, e))
    if not isinstance(lock.get("files"), dict):
        bad("%s: lock file has no 'files' object; fix or delete it" % path)
    return lock

def lock_get(item):
    """The recorded sha256 while repo, revision and file still match the manifest, else None."""
    e = LOCK.get(item["dir"] + "/" + item["file"])
    if e and e.get("repo") == item["repo"] and e.get("revision") == item["revision"] and e.get("file") == item["file"]:
        sha = str(e.get("sha256", ""))
        if not SHA.match(sha):
            bad("lock file entry '%s/%s' has no valid sha256; fix or delete it" % (item["dir"], item["file"]))
        return sha
    return None

def atomic_write(path, data):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

def lock_put(path, key, repo, rev, name, sha, size):
    lock = read_lock(path)
    files = lock["files"]
    files[key] = {"repo": repo, "revision": rev, "file": name, "sha256": sha, "size": int(size),
                  "recorded_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    out = {"schema_version": 1,
           "note": "sha256 of downloaded files, recorded on first download (minillm download / "
                   "scripts/download-models.sh) and checked on later runs",
           "files": dict(sorted(files.items()))}
    atomic_write(path, (json.dumps(out, indent=2) + "\n").encode("utf-8"))

def extract(zpath, member, out):
    try:
        with zipfile.ZipFile(zpath) as z:
            try:
                data = z.read(member)
            except KeyError:
                sys.stderr.write("download-models.sh: %s has no member '%s'\n" % (zpath, member))
                sys.exit(1)
    except zipfile.BadZipFile as e:
        sys.stderr.write("download-models.sh: %s is not a readable zip (%s)\n" % (zpath, e))
        sys.exit(1)
    atomic_write(out, data)

cmd, args = sys.argv[1], sys.argv[2:]
{"list": list_manifest, "select": select, "lock-put": lock_put, "extract": extract}[cmd](*args)
PY
)

py() { python3 -c "$PY_HELPER" "$@"; }

if [ "$LIST" = 1 ]; then
    py list "$MANIFEST"
    exit 0
fi
[ -n "$MODEL_ARGS$DATASET_ARGS" ] || { usage >&2; die_input "nothing to download: give --model ID --quant LIST, --dataset ID, or --list"; }
[ -n "$MODEL_ARGS" ] || [ -z "$QUANT_ARGS" ] || die_input "--quant needs --model"

# Validate everything before fetching anything: a bad name stops the run with exit 2 up front.
LOCK="$MODELS_DIR/manifest.lock.json"
PLAN=$(py select "$MANIFEST" "$MODEL_ARGS" "$QUANT_ARGS" "$DATASET_ARGS" "$LOCK") || exit $?
PARTIAL_ROOT="$MODELS_DIR/.partial"
# A progress bar on a terminal; elsewhere (logs, tests) curl stays quiet and this script reports
# each failure as one line of its own.
if [ -t 2 ]; then CURL_OUTPUT=(--progress-bar); else CURL_OUTPUT=(--silent); fi

refuse_links() {
    local p
    for p in "$@"; do
        [ ! -L "$p" ] || die_input "$p: is a symlink; refusing to download through it"
    done
}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# Removes a part file, its meta file and the then-empty .partial directories.
drop_partial() {
    rm -f "$1" "$1.meta" "$1.hdr"
    rmdir "$(dirname "$1")" "$PARTIAL_ROOT" 2>/dev/null || true
}

last_etag() {
    [ -f "$1" ] || return 0
    tr -d '\r' < "$1" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tail -n 1
}

# One curl transfer into $part. A part file is only resumed when it comes from the same source and
# can be checked: the server's strong ETag is sent back as If-Range (a changed file then arrives
# whole), or the sha256 is known. curl dumps the response headers to $part.hdr as they arrive, so
# the ETag survives even a killed run. Sets HTTP_CODE; returns curl's exit code.
transfer() {
    local url=$1 part=$2 source=$3 expected=$4 key=$5 resume=() auth=() etag=""
    if [ -s "$part" ] && [ -f "$part.meta" ] && [ "$(sed -n 's/^source=//p' "$part.meta")" = "$source" ]; then
        etag=$(last_etag "$part.hdr")
        case "$etag" in
            ''|W/*) if [ -n "$expected" ]; then resume=(-C -); fi ;;
            *) resume=(-C - -H "If-Range: $etag") ;;
        esac
    fi
    if [ ${#resume[@]} -gt 0 ]; then
        info "$key: resuming at byte $(size_of "$part")"
    elif [ -s "$part" ]; then
        info "$key: cannot tell whether the partial file matches the server's (no ETag); restarting from 0"
    fi
    [ ${#resume[@]} -gt 0 ] || rm -f "$part" "$part.hdr"
    printf 'source=%s\n' "$source" > "$part.meta"
    if [ -n "${HF_TOKEN:-}" ]; then
        auth=(-H "Authorization: Bearer $HF_TOKEN")
    fi
    local rc=0
    HTTP_CODE=$(curl --location --fail "${CURL_OUTPUT[@]}" \
        --connect-timeout 30 --speed-limit 1 --speed-time 60 \
        -A "minillm-download-models.sh" "${auth[@]}" "${resume[@]}" \
        -D "$part.hdr" -o "$part" -w '%{http_code}' "$url") || rc=$?
    return $rc
}

fetch_one() {
    local dir=$1 label=$2 repo=$3 rev=$4 file=$5 size=$6 sha=$7 extract=$8 locked=$9 repo_path=${10}
    local key="$dir/$file" url="$BASE_URL/$repo/resolve/$rev/$repo_path"
    case "$repo" in http://*|https://*) url="$repo" ;; esac
    local target_dir="$MODELS_DIR/$dir" target="$MODELS_DIR/$dir/$file"
    local part_dir="$PARTIAL_ROOT/$dir" part="$PARTIAL_ROOT/$dir/$file.part"
    local expected="" source=""
    if [ "$sha" != "-" ]; then
        expected=$sha; source="manifest"
    elif [ "$locked" != "-" ]; then
        expected=$locked; source="lock file"
    fi

    if [ "$DRY_RUN" = 1 ]; then
        local state=missing
        if [ -L "$target_dir" ] || [ -L "$target" ]; then state="refused: symlink in target path"
        elif [ -f "$target" ]; then state="present ($(size_of "$target") bytes)"
        elif [ -f "$part" ]; then state="partial: $(size_of "$part") bytes, will resume"
        fi
        printf '%-34s %s\n%-34s -> %s [%s; sha256 %s]\n' "$label" "$url" "" "$target" "$state" \
            "${source:+from the $source}${source:-unknown, recorded on first download}"
        return 0
    fi

    refuse_links "$MODELS_DIR/$dir" "$target" "$PARTIAL_ROOT" "$part_dir" "$part"
    if [ -e "$target" ]; then
        [ -f "$target" ] || die_input "$target: exists and is not a regular file"
        local have
        have=$(sha_of "$target")
        if [ -z "$expected" ]; then
            py lock-put "$LOCK" "$key" "$repo" "$rev" "$file" "$have" "$(size_of "$target")"
            info "$target: already present; sha256 $have recorded in $LOCK"
            finish "$target" "$dir" "$extract"
            return 0
        elif [ "$have" = "$expected" ]; then
            info "$target: already present, sha256 matches the $source"
            finish "$target" "$dir" "$extract"
            return 0
        fi
        rm -f "$target"
        info "$target: sha256 $have does not match the $source ($expected); deleted it, downloading again"
    fi

    mkdir -p "$part_dir"
    refuse_links "$PARTIAL_ROOT" "$part_dir"
    local attempt=1 rc
    while :; do
        rc=0
        info "$label: $url"
        transfer "$url" "$part" "$repo@$rev/$file" "$expected" "$key" || rc=$?
        case "$rc" in
            0) break ;;
            6) drop_partial_if_empty "$part"; die_run "$key: cannot resolve host of $BASE_URL; no network?" ;;
            7) drop_partial_if_empty "$part"; die_run "$key: cannot connect to $BASE_URL; no network?" ;;
            23) die_run "$key: write failed (disk full?); the partial file is kept in $part for resume, nothing was placed in $MODELS_DIR/$dir" ;;
            22)
                case "$HTTP_CODE" in
                    416) break ;;  # resume range past the end: the part already holds everything; the checksum decides
                    401|403)
                        drop_partial_if_empty "$part"
                        if [ -n "${HF_TOKEN:-}" ]; then
                            die_run "HTTP $HTTP_CODE for $url (HF_TOKEN was sent; does it have access to this repo?)"
                        fi
                        die_run "HTTP $HTTP_CODE for $url (gated or private repo? set HF_TOKEN to a Hugging Face access token)" ;;
                    429|5??) ;;  # retry below
                    *) drop_partial_if_empty "$part"
                       die_run "HTTP $HTTP_CODE for $url (check repo, revision and file name in the manifest, and --base-url)" ;;
                esac ;;
            33) info "$key: server did not resume (sent the whole file); restarting from 0"; rm -f "$part" "$part.hdr" ;;
            *) ;;  # 18 partial transfer, 28 timeout/stall, 56 receive error...: retry, resuming
        esac
        if [ "$attempt" -ge "$ATTEMPTS" ]; then
            local kept=0
            [ -f "$part" ] && kept=$(size_of "$part")
            drop_partial_if_empty "$part"
            die_run "$key: transfer failed (curl exit $rc, HTTP $HTTP_CODE) after $ATTEMPTS attempts; $kept bytes kept in $part, run again to resume"
        fi
        attempt=$((attempt + 1))
        info "$key: transfer interrupted (curl exit $rc); retrying ($attempt/$ATTEMPTS)"
        sleep "$(( RETRY_DELAY * (attempt - 1) ))"
    done

    [ -f "$part" ] || : > "$part"  # an empty file is a legal download
    local got got_size
    got=$(sha_of "$part")
    got_size=$(size_of "$part")
    if [ -n "$expected" ] && [ "$got" != "$expected" ]; then
        drop_partial "$part"
        local hint=""
        [ "$source" != "lock file" ] || hint=" (if upstream really changed the file, remove its entry from $LOCK)"
        die_run "$key: checksum mismatch, expected $expected ($source) but the download has $got; deleted the download$hint"
    fi
    if [ "$size" != "-" ] && [ "$got_size" != "$size" ]; then
        drop_partial "$part"
        die_run "$key: size mismatch, the manifest says $size bytes but the download has $got_size; deleted the download"
    fi
    mkdir -p "$target_dir"
    refuse_links "$target_dir" "$target"
    mv -f "$part" "$target"   # same file system: an atomic rename
    drop_partial "$part"
    if [ "$source" != "lock file" ]; then
        py lock-put "$LOCK" "$key" "$repo" "$rev" "$file" "$got" "$got_size"
    fi
    if [ -n "$expected" ]; then
        info "$target: $got_size bytes, sha256 $got (matches the $source)"
    else
        info "$target: $got_size bytes, sha256 $got (recorded in $LOCK)"
    fi
    finish "$target" "$dir" "$extract"
}

drop_partial_if_empty() {
    if [ ! -s "$1" ]; then
        drop_partial "$1"
    fi
}

# Prints the final path (stdout) and unpacks a zip member when the manifest asks for it.
finish() {
    local target=$1 dir=$2 extract=$3
    echo "$target"
    if [ "$extract" != "-" ]; then
        local out="$MODELS_DIR/$dir/${extract##*/}"
        refuse_links "$out"
        py extract "$target" "$extract" "$out" || exit $?
        info "$out: extracted from ${target##*/}"
        echo "$out"
    fi
}

while IFS=$'\t' read -r dir label repo rev file size sha extract locked repo_path; do
    fetch_one "$dir" "$label" "$repo" "$rev" "$file" "$size" "$sha" "$extract" "$locked" "$repo_path"
done <<< "$PLAN"

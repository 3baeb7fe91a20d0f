#!@shell@
# install(1) for base's coreutils: copies files and sets their mode, makes directories.
# Understands -d, -D, -m MODE, -t DIR, -T, -v; -c -C -p -s and -o/-g OWNER are accepted and
# ignored (builds cannot chown, and there is nothing to strip).
set -e
mode=0755
makeDirs=
makeParents=
targetDir=
noTargetDir=
verbose=

usage() { echo "install: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    --directory) makeDirs=1 ;;
    --mode=*) mode="${1#--mode=}" ;;
    --mode) mode="$2"; shift ;;
    --target-directory=*) targetDir="${1#--target-directory=}" ;;
    --target-directory) targetDir="$2"; shift ;;
    --no-target-directory) noTargetDir=1 ;;
    --owner=* | --group=* | --strip | --compare | --preserve-timestamps) ;;
    --owner | --group) shift ;;
    --verbose) verbose=1 ;;
    --*) usage "unknown option '$1'" ;;
    -?*)
      flags="${1#-}"
      while [ -n "$flags" ]; do
        f="${flags%"${flags#?}"}"
        flags="${flags#?}"
        case "$f" in
          d) makeDirs=1 ;;
          D) makeParents=1 ;;
          T) noTargetDir=1 ;;
          v) verbose=1 ;;
          c | C | p | s) ;;
          m | t | o | g)
            if [ -n "$flags" ]; then value="$flags"; flags=""; else [ $# -ge 2 ] || usage "-$f needs an argument"; value="$2"; shift; fi
            case "$f" in m) mode="$value" ;; t) targetDir="$value" ;; esac
            ;;
          *) usage "unknown option '-$f'" ;;
        esac
      done
      ;;
    *) break ;;
  esac
  shift
done

say() { if [ -n "$verbose" ]; then echo "$@"; fi; }

if [ -n "$makeDirs" ]; then
  [ $# -gt 0 ] || usage "missing directory operand"
  for d in "$@"; do
    mkdir -p "$d"
    chmod "$mode" "$d"
    say "install: creating directory '$d'"
  done
  exit 0
fi

copyTo() {
  if [ -e "$2" ] || [ -L "$2" ]; then rm -f "$2"; fi
  cp "$1" "$2"
  chmod "$mode" "$2"
  say "'$1' -> '$2'"
}

if [ -n "$targetDir" ]; then
  [ $# -gt 0 ] || usage "missing file operand"
  if [ -n "$makeParents" ]; then mkdir -p "$targetDir"; fi
  for f in "$@"; do copyTo "$f" "$targetDir/${f##*/}"; done
  exit 0
fi

[ $# -ge 2 ] || usage "missing destination file operand"
last=""
for a in "$@"; do last="$a"; done
if [ $# -gt 2 ] || { [ -z "$noTargetDir" ] && [ -d "$last" ]; }; then
  if [ -n "$makeParents" ]; then mkdir -p "$last"; fi
  [ -d "$last" ] || usage "target '$last' is not a directory"
  while [ $# -gt 1 ]; do copyTo "$1" "$last/${1##*/}"; shift; done
else
  if [ -n "$makeParents" ]; then mkdir -p "$(dirname "$last")"; fi
  copyTo "$1" "$last"
fi

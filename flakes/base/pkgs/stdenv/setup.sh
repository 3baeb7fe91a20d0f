# The shell library of base's stdenv, sourced by every stdenv.mkDerivation builder (busybox ash).
# The stdenv derivation writes it to $stdenv/setup after a line setting `initialPath`.
#
# It provides: runHook/addHook, inputs on PATH (bin of nativeBuildInputs, buildInputs and what
# they propagate, setup hooks sourced), the phases and genericBuild, and helpers
# (stripHash, unpackFile, patchShebangs, substitute*, linkTree).

# ---------------------------------------------------------------------------------------------
# Basics

: "${outputs:=out}"
: "${NIX_BUILD_TOP:=$PWD}"
if [ -z "${prefix:-}" ]; then
  for _o in $outputs; do eval "prefix=\${$_o:-}"; break; done
fi

_log() { echo "$@"; }
_die() { echo "error: $*" >&2; exit 1; }

# runHook NAME [ARGS...]: runs the functions registered with `addHook NAME FUNCTION`, then the
# shell code in the variable NAME (the `preBuild = "…"` of a derivation).
runHook() {
  local _name="$1"
  shift
  local _fns _code _f
  eval "_fns=\${_hooks_$_name:-}"
  for _f in $_fns; do "$_f" "$@"; done
  eval "_code=\${$_name:-}"
  if [ -n "$_code" ]; then eval "$_code"; fi
  return 0
}

# addHook NAME FUNCTION: registers FUNCTION to run at `runHook NAME`.
addHook() {
  eval "_hooks_$1=\"\${_hooks_$1:-} \$2\""
}

# isSet NAME: whether the variable NAME is non-empty (Nix passes `false` as "").
isSet() {
  local _v
  eval "_v=\${$1:-}"
  [ -n "$_v" ]
}

# addToSearchPath VAR DIR: appends DIR to the colon-separated VAR when DIR exists.
addToSearchPath() {
  [ -d "$2" ] || return 0
  local _cur
  eval "_cur=\${$1:-}"
  case ":$_cur:" in *":$2:"*) return 0 ;; esac
  if [ -z "$_cur" ]; then eval "$1=\"\$2\""; else eval "$1=\"\$_cur:\$2\""; fi
}

# findInPath NAME: the first executable NAME on PATH (the shell would run its own applet first).
findInPath() {
  local _d _old="$IFS"
  IFS=:
  for _d in $PATH; do
    if [ -n "$_d" ] && [ -f "$_d/$1" ] && [ -x "$_d/$1" ]; then
      IFS="$_old"
      echo "$_d/$1"
      return 0
    fi
  done
  IFS="$_old"
  return 1
}

# stripHash PATH: the base name of PATH without the store hash ("<hash>-foo.tar.gz" -> "foo.tar.gz").
stripHash() {
  local _b="${1##*/}"
  case "$_b" in
    ????????????????????????????????-*) echo "${_b#*-}" ;;
    *) echo "$_b" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Inputs: each one's bin on PATH, its setup hook sourced, what it propagates followed.

_inputsSeen=" "
_inputPath=""

addInput() {
  local _p="$1" _f _q
  case "$_inputsSeen" in *" $_p "*) return 0 ;; esac
  _inputsSeen="$_inputsSeen$_p "
  [ -e "$_p" ] || _die "input '$_p' does not exist"
  if [ -d "$_p/bin" ]; then
    case ":$_inputPath:" in *":$_p/bin:"*) ;; *) _inputPath="${_inputPath:+$_inputPath:}$_p/bin" ;; esac
  fi
  if [ -f "$_p/nix-support/setup-hook" ]; then . "$_p/nix-support/setup-hook"; fi
  for _f in propagated-native-build-inputs propagated-build-inputs; do
    if [ -f "$_p/nix-support/$_f" ]; then
      for _q in $(cat "$_p/nix-support/$_f"); do addInput "$_q"; done
    fi
  done
}

_inputs="${depsBuildBuild:-} ${nativeBuildInputs:-} ${propagatedNativeBuildInputs:-} ${buildInputs:-} ${propagatedBuildInputs:-}"
if [ -n "${doCheck:-}" ]; then _inputs="$_inputs ${nativeCheckInputs:-} ${checkInputs:-}"; fi
if [ -n "${doInstallCheck:-}" ]; then _inputs="$_inputs ${nativeInstallCheckInputs:-} ${installCheckInputs:-}"; fi
for _i in $_inputs; do
  addInput "$_i"
done
unset _inputs
unset _i

PATH="$_inputPath"
for _i in $initialPath; do addToSearchPath PATH "$_i/bin"; done
unset _i
export PATH

# A HOME that cannot be written (as in Nix builds), a TMPDIR in the build directory.
export HOME="${HOME:-/homeless-shelter}"
export TMPDIR="${TMPDIR:-$NIX_BUILD_TOP}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-315532800}"
export LC_ALL="${LC_ALL:-C}"
export SHELL="${SHELL:-${initialShell:-sh}}"

# ---------------------------------------------------------------------------------------------
# Helpers for phases and build commands

# unpackFile FILE: unpacks one source into the current directory.
unpackFile() {
  curSrc="$1"
  _log "unpacking source archive $curSrc"
  if [ -n "${unpackCmd:-}" ]; then
    eval "$unpackCmd"
    return 0
  fi
  if [ -d "$curSrc" ]; then
    local _dest
    _dest="$(stripHash "$curSrc")"
    cp -pr "$curSrc" "$_dest"
    chmod -R u+w "$_dest"
    return 0
  fi
  case "$curSrc" in
    *.tar.gz | *.tgz | *.tar.Z) tar -xzf "$curSrc" ;;
    *.tar.bz2 | *.tbz2 | *.tbz) tar -xjf "$curSrc" ;;
    *.tar.xz | *.txz) tar -xJf "$curSrc" ;;
    *.tar.lzma) tar --lzma -xf "$curSrc" ;;
    *.tar) tar -xf "$curSrc" ;;
    *.zip) unzip -q "$curSrc" ;;
    *) _die "do not know how to unpack '$curSrc' (set unpackCmd, or dontUnpack = true and copy it yourself)" ;;
  esac
}

# patchShebangs DIR|FILE...: points the `#!` lines of executable files at interpreters on PATH
# (`/usr/bin/env prog` and `/bin/prog` alike); bash scripts get sh when there is no bash.
patchShebangs() {
  local _target
  for _target in "$@"; do
    [ -e "$_target" ] || continue
    find "$_target" -type f -perm -0100 | while IFS= read -r _file; do
      _patchShebang "$_file"
    done
  done
}

_patchShebang() {
  local _file="$1" _line _interp _args _prog _new
  _line="$(head -c 512 "$_file" | head -n 1 | tr -d '\000')"
  case "$_line" in "#!"*) ;; *) return 0 ;; esac
  _interp="${_line#\#!}"
  _interp="${_interp#"${_interp%%[! ]*}"}"
  _args=""
  case "$_interp" in *" "*) _args=" ${_interp#* }"; _interp="${_interp%% *}" ;; esac
  case "$_interp" in "${NIX_STORE:-/nix/store}"/*) return 0 ;; esac
  if [ "${_interp##*/}" = env ]; then
    _args="${_args# }"
    case "$_args" in -*) return 0 ;; esac
    _prog="${_args%% *}"
    case "$_args" in *" "*) _args=" ${_args#* }" ;; *) _args="" ;; esac
  else
    _prog="${_interp##*/}"
  fi
  [ -n "$_prog" ] || return 0
  if ! _new="$(findInPath "$_prog")"; then
    if [ "$_prog" = bash ] && _new="$(findInPath sh)"; then :; else
      echo "patchShebangs: $_file: no '$_prog' on PATH, left as it is" >&2
      return 0
    fi
  fi
  [ "#!$_new$_args" = "$_line" ] && return 0
  _log "patchShebangs: $_file: #!$_interp -> #!$_new"
  local _tmp="$_file.patchShebangs.$$"
  { printf '%s\n' "#!$_new$_args"; tail -n +2 "$_file"; } > "$_tmp"
  cat "$_tmp" > "$_file"
  rm -f "$_tmp"
}

# substitute IN OUT [--replace[-fail|-warn|-quiet] OLD NEW | --subst-var NAME | --subst-var-by NAME VALUE]...
substitute() {
  local _in="$1" _out="$2" _content _tmp
  shift 2
  [ -f "$_in" ] || _die "substitute: '$_in' is not a file"
  _tmp="$(mktemp)"
  cat "$_in" > "$_tmp"
  while [ $# -gt 0 ]; do
    case "$1" in
      --replace | --replace-fail | --replace-warn | --replace-quiet)
        [ $# -ge 3 ] || _die "substitute: $1 needs two arguments"
        if ! grep -qF -- "$2" "$_tmp"; then
          case "$1" in
            --replace-fail) _die "substitute: '$2' not found in $_in" ;;
            --replace-quiet) ;;
            *) echo "substitute: warning: '$2' not found in $_in" >&2 ;;
          esac
        fi
        _replaceLiteral "$_tmp" "$2" "$3"
        shift 3
        ;;
      --subst-var)
        local _val
        eval "_val=\${$2-}"
        _replaceLiteral "$_tmp" "@$2@" "$_val"
        shift 2
        ;;
      --subst-var-by)
        _replaceLiteral "$_tmp" "@$2@" "$3"
        shift 3
        ;;
      *) _die "substitute: unknown argument '$1'" ;;
    esac
  done
  cat "$_tmp" > "$_out"
  rm -f "$_tmp"
}

# Replaces every occurrence of the literal OLD by NEW in FILE (awk's index, no regex).
_replaceLiteral() {
  OLD="$2" NEW="$3" awk '
    BEGIN { old = ENVIRON["OLD"]; new = ENVIRON["NEW"]; n = length(old) }
    {
      line = $0; out = ""
      if (n > 0) {
        while ((i = index(line, old)) > 0) { out = out substr(line, 1, i - 1) new; line = substr(line, i + n) }
      }
      print out line
    }' "$1" > "$1.tmp"
  cat "$1.tmp" > "$1"
  rm -f "$1.tmp"
}

substituteInPlace() {
  local _f="$1"
  shift
  substitute "$_f" "$_f" "$@"
}

# substituteAll IN OUT: replaces @name@ by the environment variable `name` for each such variable.
substituteAll() {
  local _in="$1" _out="$2" _args="" _n
  for _n in $(env | sed -n 's/^\([a-zA-Z_][a-zA-Z0-9_]*\)=.*/\1/p'); do
    if grep -qF "@$_n@" "$_in"; then _args="$_args --subst-var $_n"; fi
  done
  # shellcheck disable=SC2086
  substitute "$_in" "$_out" $_args
}

# linkTree SRC DEST [ON_CONFLICT]: mirrors the directories of SRC under DEST and links every
# other entry to SRC's. An entry that exists already is kept (ON_CONFLICT=keep, the default),
# or kept when it has the same contents and an error otherwise (ON_CONFLICT=check).
linkTree() {
  local _src="$1" _dest="$2" _mode="${3:-keep}"
  [ -e "$_src" ] || return 0
  mkdir -p "$_dest"
  (cd "$_src" && find -L . -mindepth 1) | while IFS= read -r _rel; do
    _rel="${_rel#./}"
    if [ -d "$_src/$_rel" ]; then
      if [ -L "$_dest/$_rel" ]; then _die "linkTree: '$_dest/$_rel' is both a directory and a file"; fi
      mkdir -p "$_dest/$_rel"
    elif [ -e "$_dest/$_rel" ] || [ -L "$_dest/$_rel" ]; then
      if [ "$_mode" = check ] && ! cmp -s "$_src/$_rel" "$_dest/$_rel"; then
        _die "collision between '$(readlink -f "$_src/$_rel")' and '$(readlink -f "$_dest/$_rel")'"
      fi
    else
      ln -s "$_src/$_rel" "$_dest/$_rel"
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# Phases

unpackPhase() {
  runHook preUnpack
  if [ -z "${srcs:-}" ]; then
    [ -n "${src:-}" ] || _die "unpackPhase: neither \$src nor \$srcs is set (set dontUnpack = true for a package without sources)"
    srcs="$src"
  fi
  local _before _s _e _new="" _count=0
  _before=" $(ls -A | tr '\n' ' ') "
  for _s in $srcs; do unpackFile "$_s"; done
  if [ -z "${sourceRoot:-}" ]; then
    for _e in $(ls -A); do
      case "$_before" in *" $_e "*) continue ;; esac
      if [ -d "$_e" ]; then _new="$_e"; _count=$((_count + 1)); fi
    done
    if [ "$_count" -eq 0 ]; then _die "unpackPhase: unpacking made no directory (set sourceRoot)"; fi
    if [ "$_count" -gt 1 ]; then _die "unpackPhase: unpacking made several directories (set sourceRoot)"; fi
    sourceRoot="$_new"
  fi
  if [ -z "${dontMakeSourcesWritable:-}" ]; then chmod -R u+w -- "$sourceRoot"; fi
  runHook postUnpack
}

patchPhase() {
  runHook prePatch
  local _p
  for _p in ${patches:-}; do
    _log "applying patch $_p"
    case "$_p" in
      *.gz) gzip -dc "$_p" ;;
      *.bz2) bzip2 -dc "$_p" ;;
      *.xz) xz -dc "$_p" ;;
      *) cat "$_p" ;;
    esac | patch ${patchFlags:--p1}
  done
  runHook postPatch
}

_haveMakefile() {
  [ -n "${makefile:-}" ] || [ -f Makefile ] || [ -f makefile ] || [ -f GNUmakefile ]
}

_make() {
  local _mk
  _mk="$(findInPath make)" || _die "there is a Makefile but no make on PATH (base has none: add one to nativeBuildInputs or set the phase)"
  # shellcheck disable=SC2086
  "$_mk" ${makefile:+-f "$makefile"} ${makeFlags:-} "$@"
}

configurePhase() {
  runHook preConfigure
  if [ -z "${configureScript:-}" ] && [ -x ./configure ]; then configureScript=./configure; fi
  if [ -n "${configureScript:-}" ]; then
    local _flags="${configureFlags:-}"
    if [ -z "${dontAddPrefix:-}" ]; then _flags="${prefixKey:---prefix=}$prefix $_flags"; fi
    _log "configure flags: $_flags"
    # shellcheck disable=SC2086
    $configureScript $_flags
  else
    _log "no configure script, doing nothing"
  fi
  runHook postConfigure
}

buildPhase() {
  runHook preBuild
  if _haveMakefile; then
    # shellcheck disable=SC2086
    _make ${buildFlags:-}
  else
    _log "no Makefile, doing nothing"
  fi
  runHook postBuild
}

checkPhase() {
  runHook preCheck
  if _haveMakefile; then
    # shellcheck disable=SC2086
    _make ${checkFlags:-} ${checkTarget:-check}
  else
    _log "no Makefile, no checks"
  fi
  runHook postCheck
}

installPhase() {
  runHook preInstall
  if [ -n "$prefix" ]; then mkdir -p "$prefix"; fi
  if _haveMakefile; then
    # shellcheck disable=SC2086
    _make ${installFlags:-} ${installTargets:-install}
  else
    _log "no Makefile, nothing installed"
  fi
  runHook postInstall
}

fixupPhase() {
  local _o _dir
  for _o in $outputs; do
    eval "_dir=\${$_o}"
    if [ -e "$_dir" ]; then chmod -R u+w "$_dir"; fi
  done
  runHook preFixup
  for _o in $outputs; do
    eval "_dir=\${$_o}"
    # Outputs other than the first are made even when nothing went there.
    if [ ! -e "$_dir" ] && [ "$_dir" != "$prefix" ]; then mkdir -p "$_dir"; fi
    if [ -z "${dontPatchShebangs:-}" ] && [ -e "$_dir" ]; then patchShebangs "$_dir"; fi
  done
  if [ -n "${propagatedBuildInputs:-}${propagatedNativeBuildInputs:-}" ]; then
    mkdir -p "$prefix/nix-support"
    [ -z "${propagatedBuildInputs:-}" ] || echo $propagatedBuildInputs > "$prefix/nix-support/propagated-build-inputs"
    [ -z "${propagatedNativeBuildInputs:-}" ] || echo $propagatedNativeBuildInputs > "$prefix/nix-support/propagated-native-build-inputs"
  fi
  if [ -n "${propagatedUserEnvPkgs:-}" ]; then
    mkdir -p "$prefix/nix-support"
    echo $propagatedUserEnvPkgs > "$prefix/nix-support/propagated-user-env-packages"
  fi
  if [ -n "${setupHook:-}" ]; then
    mkdir -p "$prefix/nix-support"
    substituteAll "$setupHook" "$prefix/nix-support/setup-hook"
  fi
  runHook postFixup
}

installCheckPhase() {
  runHook preInstallCheck
  if _haveMakefile; then
    _make ${installCheckTarget:-installcheck}
  else
    _log "no Makefile, no install checks"
  fi
  runHook postInstallCheck
}

distPhase() {
  runHook preDist
  runHook postDist
}

# Whether the phase is skipped by its dontX / doX variable.
_skipPhase() {
  case "$1" in
    unpackPhase) isSet dontUnpack ;;
    patchPhase) isSet dontPatch ;;
    configurePhase) isSet dontConfigure ;;
    buildPhase) isSet dontBuild ;;
    checkPhase) ! isSet doCheck ;;
    installPhase) isSet dontInstall ;;
    fixupPhase) isSet dontFixup ;;
    installCheckPhase) ! isSet doInstallCheck ;;
    distPhase) ! isSet doDist ;;
    *) return 1 ;;
  esac
}

# runPhase NAME: the phase's code from the variable NAME when set, else the function NAME.
runPhase() {
  curPhase="$1"
  if _skipPhase "$curPhase"; then return 0; fi
  _log "running $curPhase"
  local _code
  eval "_code=\${$curPhase:-}"
  if [ -n "$_code" ]; then eval "$_code"; else "$curPhase"; fi
  if [ "$curPhase" = unpackPhase ] && [ -n "${sourceRoot:-}" ]; then cd "$sourceRoot"; fi
}

genericBuild() {
  if [ -n "${buildCommandPath:-}" ] && [ -f "$buildCommandPath" ]; then
    . "$buildCommandPath"
    return 0
  fi
  if [ -n "${buildCommand:-}" ]; then
    eval "$buildCommand"
    return 0
  fi
  if [ -z "${phases:-}" ]; then
    phases="${prePhases:-} unpackPhase patchPhase ${preConfigurePhases:-} configurePhase ${preBuildPhases:-} buildPhase checkPhase ${preInstallPhases:-} installPhase ${preFixupPhases:-} fixupPhase installCheckPhase ${preDistPhases:-} distPhase ${postPhases:-}"
  fi
  for _phase in $phases; do runPhase "$_phase"; done
}

runHook postHook

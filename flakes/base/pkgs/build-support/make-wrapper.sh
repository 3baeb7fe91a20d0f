# makeWrapper and wrapProgram, as a setup hook (add makeWrapper to nativeBuildInputs).
#
# makeWrapper EXECUTABLE WRAPPER OPTIONS...   writes a shell script WRAPPER running EXECUTABLE
# wrapProgram PROGRAM OPTIONS...              moves PROGRAM to .NAME-wrapped and wraps it in place
#
# Options: --set VAR VALUE, --set-default VAR VALUE, --unset VAR, --prefix VAR SEP VALUE,
# --suffix VAR SEP VALUE, --prefix-each VAR SEP "VALUES", --suffix-each VAR SEP "VALUES",
# --run COMMAND, --add-flags "FLAGS", --append-flags "FLAGS", --chdir DIR, --argv0 NAME,
# --inherit-argv0.

# Quotes a word for the shell: 'it'\''s'.
_wrapQuote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

_wrapCheckVar() {
  case "$1" in
    '' | [0-9]* | *[!A-Za-z0-9_]*) echo "makeWrapper: '$1' is not a variable name" >&2; exit 1 ;;
  esac
}

makeWrapper() {
  local original="$1" wrapper="$2"
  shift 2
  if [ ! -x "$original" ]; then
    echo "makeWrapper: '$original' is not an executable" >&2
    exit 1
  fi
  local body="" before="" after="" argv0="" v sep val
  while [ $# -gt 0 ]; do
    case "$1" in
      --set)
        _wrapCheckVar "$2"
        body="$body
export $2=$(_wrapQuote "$3")"
        shift 3 ;;
      --set-default)
        _wrapCheckVar "$2"
        body="$body
if [ -z \"\${$2+set}\" ]; then export $2=$(_wrapQuote "$3"); fi"
        shift 3 ;;
      --unset)
        _wrapCheckVar "$2"
        body="$body
unset $2"
        shift 2 ;;
      --prefix | --suffix)
        _wrapCheckVar "$2"
        sep="$(_wrapQuote "$3")"
        val="$(_wrapQuote "$4")"
        if [ "$1" = --prefix ]; then
          body="$body
$2=$val\${$2:+$sep}\"\$$2\"
export $2"
        else
          body="$body
$2=\"\$$2\"\${$2:+$sep}$val
export $2"
        fi
        shift 4 ;;
      --prefix-each | --suffix-each)
        local mode="${1%-each}" name="$2" separator="$3" values="$4"
        shift 4
        for v in $values; do set -- "$mode" "$name" "$separator" "$v" "$@"; done
        ;;
      --run)
        body="$body
$2"
        shift 2 ;;
      --add-flags)
        before="$before $2"
        shift 2 ;;
      --append-flags)
        after="$after $2"
        shift 2 ;;
      --chdir)
        body="$body
cd $(_wrapQuote "$2")"
        shift 2 ;;
      --argv0)
        argv0="$(_wrapQuote "$2")"
        shift 2 ;;
      --inherit-argv0)
        argv0='"$0"'
        shift ;;
      *)
        echo "makeWrapper: unknown option '$1'" >&2
        exit 1 ;;
    esac
  done
  mkdir -p "$(dirname "$wrapper")"
  {
    echo "#!@shell@"
    if [ -n "$body" ]; then printf '%s\n' "${body#?}"; fi
    printf 'exec %s%s%s "$@"%s\n' "${argv0:+-a $argv0 }" "$(_wrapQuote "$original")" "$before" "$after"
  } > "$wrapper"
  chmod +x "$wrapper"
}

wrapProgram() {
  local program="$1"
  shift
  local hidden
  hidden="$(dirname "$program")/.$(basename "$program")-wrapped"
  [ ! -e "$hidden" ] || hidden="$hidden-again"
  mv "$program" "$hidden"
  makeWrapper "$hidden" "$program" --inherit-argv0 "$@"
}

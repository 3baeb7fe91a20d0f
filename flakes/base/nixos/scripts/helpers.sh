# Shell functions shared by bin/switch-to-configuration and bin/tix-service (installed as
# $toplevel/lib/tix-helpers.sh and sourced by them). Builtins only: each external command costs
# a fork and an exec.

# Whether process $1 exists and is not a zombie (the state follows the last ") " of its stat).
alive() {
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  _stat=
  read -r _stat < "/proc/$1/stat" 2> /dev/null
  _stat=${_stat##*) }
  case "${_stat%% *}" in
    "" | Z | X) return 1 ;;
  esac
  return 0
}

# first_line VAR FILE: sets VAR to the first line of FILE (empty when it is missing or empty).
first_line() {
  _line=
  [ -f "$2" ] && { IFS= read -r _line < "$2" || :; }
  eval "$1=\$_line"
}

#!@busybox@/bin/sh
# tix activation script (installed as $toplevel/activate). Idempotent: makes the running root
# file system match the system it belongs to. Each snippet that fails is reported as
# "Activation script snippet 'NAME' failed (STATUS)" and makes the exit status 1, but the later
# snippets still run. Finally /run/current-system points at this system.
# Activation runs at every container boot and update, and every external command costs a fork
# and an exec: the snippets test with builtins first and run commands only to change things.

self=$(readlink -f "$0")
systemConfig=${self%/*}
PATH=@busybox@/bin
export PATH
umask 022
_status=0

snippet() {
  _name=$1
  shift
  "$@"
  _rc=$?
  if [ "$_rc" -ne 0 ]; then
    echo "Activation script snippet '$_name' failed ($_rc)" >&2
    _status=1
  fi
}

NL='
'
# The symlinks activation manages, as `'LINK' -> 'TARGET'` lines, read by one find and one stat
# instead of a readlink per link.
LINKS=$NL$(find /etc /bin/sh /usr/bin/env /run/current-system /nix/var/nix/gcroots/current-system \
  -type l -exec stat -c '%N' {} + 2> /dev/null)$NL

# Atomically points symlink $2 at $1 (unless it already does).
relink() {
  case "$LINKS" in
    *"$NL'$2' -> '$1'$NL"*) return 0 ;;
  esac
  if [ ! -e "$2" ] && [ ! -L "$2" ]; then
    ln -s "$1" "$2"
    return
  fi
  ln -sfn "$1" "$2.tix-tmp" && mv -Tf "$2.tix-tmp" "$2"
}

# ensure_dirs DIR...: creates the directories that are missing (one mkdir for all, if any).
ensure_dirs() {
  for _d in "$@"; do
    [ -d "$_d" ] || {
      mkdir -p "$@"
      return
    }
  done
}

# ensure_modes MODE PATH [MODE PATH]...: sets the modes that differ (one stat for all).
ensure_modes() {
  _paths=
  _i=0
  for _a in "$@"; do
    _i=$((_i + 1))
    [ $((_i % 2)) = 0 ] && _paths="$_paths $_a"
  done
  _have=" "
  # shellcheck disable=SC2086
  for _w in $(stat -c '%a:%n' $_paths 2> /dev/null); do
    _have="$_have$_w "
  done
  _rc=0
  while [ $# -ge 2 ]; do
    case "$_have" in
      *" $1:$2 "*) ;;
      *) chmod "$1" "$2" || _rc=1 ;;
    esac
    shift 2
  done
  return $_rc
}

specialfs() {
  ensure_dirs /etc /run /var /tmp /root /bin /usr/bin /nix/var/nix/gcroots
  ensure_modes 1777 /tmp 700 /root
  [ -e /etc/NIXOS ] || : > /etc/NIXOS
}

# /etc/static -> $systemConfig/etc; each file below it gets a link /etc/PATH -> /etc/static/PATH,
# unless a sidecar PATH.mode holds an octal mode (the file is then copied, and listed in
# /etc/.clean so that it is removed once no system provides it) or "direct" (the link points
# straight at the file's target). Links into /etc/static left dangling by the switch are removed.
etc() {
  [ -d "$systemConfig/etc" ] || return 0
  relink "$systemConfig/etc" /etc/static || return 1
  set -f
  _ifs=$IFS
  IFS=$NL
  for l in $LINKS; do
    case "$l" in
      "'/etc/"*"' -> '/etc/static/"*) ;;
      *) continue ;;
    esac
    l=${l#"'"}
    l=${l%%"' -> '"*}
    [ -e "$l" ] || [ ! -L "$l" ] || rm -f "$l"
  done
  IFS=$_ifs
  set +f
  if [ -f /etc/.clean ]; then
    while IFS= read -r f; do
      [ -e "/etc/static/$f" ] || rm -f "/etc/$f"
    done < /etc/.clean
  fi
  : > /etc/.clean.tmp
  find /etc/static/ ! -type d ! -name '*.mode' | while IFS= read -r f; do
    f=${f#/etc/static/}
    d=/etc/$f
    d=${d%/*}
    [ -d "$d" ] || mkdir -p "$d"
    if [ -d "/etc/$f" ] && [ ! -L "/etc/$f" ]; then
      echo "warning: /etc/$f is a directory; not replacing it" >&2
      continue
    fi
    if [ -f "/etc/static/$f.mode" ]; then
      mode=
      IFS= read -r mode < "/etc/static/$f.mode" || :
      if [ "$mode" = direct ]; then
        relink "$(readlink -f "/etc/static/$f")" "/etc/$f"
      else
        cp "/etc/static/$f" "/etc/$f.tix-tmp" && chmod "$mode" "/etc/$f.tix-tmp" && mv -f "/etc/$f.tix-tmp" "/etc/$f"
        echo "$f" >> /etc/.clean.tmp
      fi
    else
      relink "/etc/static/$f" "/etc/$f"
    fi
  done
  mv -f /etc/.clean.tmp /etc/.clean
}

# The merged user databases, by one awk run: for each of passwd, group and shadow, the lines of
# /etc/DB with those of $u/DB (if any) replacing the ones of the same name (first field), and
# declared names not yet present appended; root is added if missing, and every user without a
# shadow line gets a locked one. A database that changes is written to /etc/DB.tix-tmp and its
# name printed.
MERGE_USERS='
function name_of(line,   n) { n = line; sub(/:.*/, "", n); return n }
function merge(db,   decl, order, n, done, line, name, out, cur, i, file) {
  n = 0
  file = u "/" db
  while ((getline line < file) > 0) {
    name = name_of(line)
    if (!(name in decl)) order[++n] = name
    decl[name] = line
  }
  close(file)
  out = ""
  cur = ""
  file = "/etc/" db
  while ((getline line < file) > 0) {
    cur = cur line "\n"
    name = name_of(line)
    if (name in decl) {
      if (!(name in done)) out = out decl[name] "\n"
      done[name] = 1
    } else out = out line "\n"
  }
  close(file)
  for (i = 1; i <= n; i++) if (!(order[i] in done)) out = out decl[order[i]] "\n"
  original[db] = cur
  return out
}
function save(db, text) {
  if (text == original[db]) return
  printf "%s", text > ("/etc/" db ".tix-tmp")
  close("/etc/" db ".tix-tmp")
  print db
}
BEGIN {
  p = merge("passwd")
  if (!index("\n" p, "\nroot:")) p = p "root:x:0:0:System administrator:/root:/run/current-system/sw/bin/sh\n"
  g = merge("group")
  if (!index("\n" g, "\nroot:")) g = g "root:x:0:\n"
  s = merge("shadow")
  k = split(p, lines, "\n")
  for (i = 1; i <= k; i++) {
    if (lines[i] == "") continue
    name = name_of(lines[i])
    if (!index("\n" s, "\n" name ":")) s = s name ":!:1::::::\n"
  }
  save("passwd", p)
  save("group", g)
  save("shadow", s)
}'

# Users and groups from $systemConfig/users/{passwd,group,shadow} (the formats of the files in
# /etc); users and groups not declared there are kept (like mutable users).
users() {
  u=$systemConfig/users
  for db in passwd group shadow; do
    [ -f "/etc/$db" ] || : > "/etc/$db"
  done
  changed=$(awk -v u="$u" "$MERGE_USERS" < /dev/null) || return 1
  for db in $changed; do
    [ "$db" = shadow ] && { chmod 600 /etc/shadow.tix-tmp || return 1; }
    mv -f "/etc/$db.tix-tmp" "/etc/$db" || return 1
  done
  ensure_modes 644 /etc/passwd 644 /etc/group 600 /etc/shadow
  while IFS=: read -r name _ uid gid _ home _; do
    case "$home" in "" | / | /var/empty | /nonexistent) continue ;; esac
    if [ ! -e "$home" ]; then
      mkdir -p "$home" && chown "$uid:$gid" "$home" && chmod 700 "$home"
    fi
  done < /etc/passwd
}

var() {
  ensure_dirs /var/lib /var/log /var/cache /var/tmp /var/empty /var/db
  ensure_modes 1777 /var/tmp 555 /var/empty
}

binsh() {
  [ -e "$systemConfig/sw/bin/sh" ] || return 0
  relink "$systemConfig/sw/bin/sh" /bin/sh
}

usrbinenv() {
  [ -e "$systemConfig/sw/bin/env" ] || return 0
  relink "$systemConfig/sw/bin/env" /usr/bin/env
}

host_name() {
  [ -s /etc/hostname ] || return 0
  want=
  have=
  IFS= read -r want < /etc/hostname || :
  [ -r /proc/sys/kernel/hostname ] && { IFS= read -r have < /proc/sys/kernel/hostname || :; }
  [ "$have" = "$want" ] && return 0
  hostname -F /etc/hostname
}

snippet specialfs specialfs
snippet etc etc
snippet users users
snippet var var
snippet binsh binsh
snippet usrbinenv usrbinenv
snippet hostname host_name
# Extra snippets of the system (system.activationScripts), run in name order.
if [ -d "$systemConfig/activation.d" ]; then
  for f in "$systemConfig"/activation.d/*; do
    [ -x "$f" ] && snippet "${f##*/}" "$f"
  done
fi

relink "$systemConfig" /run/current-system
ensure_dirs /nix/var/nix/gcroots
relink /run/current-system /nix/var/nix/gcroots/current-system

exit "$_status"

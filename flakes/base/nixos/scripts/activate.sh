#!@busybox@/bin/sh
# tix activation script (installed as $toplevel/activate). Idempotent: makes the running root
# file system match the system it belongs to. Each snippet that fails is reported as
# "Activation script snippet 'NAME' failed (STATUS)" and makes the exit status 1, but the later
# snippets still run. Finally /run/current-system points at this system.

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

# Atomically points symlink $2 at $1.
relink() {
  [ "$(readlink "$2" 2> /dev/null)" = "$1" ] && return 0
  ln -sfn "$1" "$2.tix-tmp" && mv -Tf "$2.tix-tmp" "$2"
}

specialfs() {
  mkdir -p /etc /run /var /tmp /root /bin /usr/bin /nix/var/nix/gcroots
  chmod 1777 /tmp
  chmod 700 /root
  touch /etc/NIXOS
}

# /etc/static -> $systemConfig/etc; each file below it gets a link /etc/PATH -> /etc/static/PATH,
# unless a sidecar PATH.mode holds an octal mode (the file is then copied, and listed in
# /etc/.clean so that it is removed once no system provides it) or "direct" (the link points
# straight at the file's target). Links into /etc/static left dangling by the switch are removed.
etc() {
  [ -d "$systemConfig/etc" ] || return 0
  relink "$systemConfig/etc" /etc/static || return 1
  find /etc -path /etc/static -prune -o -type l -print | while IFS= read -r l; do
    case "$(readlink "$l")" in
      /etc/static/*) [ -e "$l" ] || rm -f "$l" ;;
    esac
  done
  if [ -f /etc/.clean ]; then
    while IFS= read -r f; do
      [ -e "/etc/static/$f" ] || rm -f "/etc/$f"
    done < /etc/.clean
  fi
  : > /etc/.clean.tmp
  (cd /etc/static/ && find . ! -type d ! -name '*.mode') | while IFS= read -r f; do
    f=${f#./}
    d=$(dirname "/etc/$f")
    mkdir -p "$d"
    if [ -d "/etc/$f" ] && [ ! -L "/etc/$f" ]; then
      echo "warning: /etc/$f is a directory; not replacing it" >&2
      continue
    fi
    if [ -f "/etc/static/$f.mode" ]; then
      mode=$(cat "/etc/static/$f.mode")
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

# merge DECLARED CURRENT: CURRENT's lines with those of DECLARED replacing the ones of the same
# name (first field); declared names not yet present are appended.
merge() {
  awk -F: 'NR == FNR { decl[$1] = $0; order[n++] = $1; next }
    ($1 in decl) { if (!($1 in done)) print decl[$1]; done[$1] = 1; next }
    { print }
    END { for (i = 0; i < n; i++) if (!(order[i] in done)) print decl[order[i]] }' "$1" "$2"
}

# Users and groups from $systemConfig/users/{passwd,group,shadow} (the formats of the files in
# /etc); users and groups not declared there are kept (like mutable users).
users() {
  u=$systemConfig/users
  for db in passwd group shadow; do
    [ -f "/etc/$db" ] || : > "/etc/$db"
  done
  if [ -f "$u/group" ]; then
    merge "$u/group" /etc/group > /etc/group.tix-tmp && mv -f /etc/group.tix-tmp /etc/group || return 1
  fi
  if [ -f "$u/passwd" ]; then
    merge "$u/passwd" /etc/passwd > /etc/passwd.tix-tmp && mv -f /etc/passwd.tix-tmp /etc/passwd || return 1
  fi
  grep -q '^root:' /etc/passwd || echo 'root:x:0:0:System administrator:/root:/run/current-system/sw/bin/sh' >> /etc/passwd
  grep -q '^root:' /etc/group || echo 'root:x:0:' >> /etc/group
  if [ -f "$u/shadow" ]; then
    merge "$u/shadow" /etc/shadow > /etc/shadow.tix-tmp && mv -f /etc/shadow.tix-tmp /etc/shadow || return 1
  fi
  cut -d: -f1 /etc/passwd | while IFS= read -r name; do
    grep -q "^$name:" /etc/shadow || echo "$name:!:1::::::" >> /etc/shadow
  done
  chmod 644 /etc/passwd /etc/group
  chmod 600 /etc/shadow
  while IFS=: read -r name _ uid gid _ home _; do
    case "$home" in "" | / | /var/empty | /nonexistent) continue ;; esac
    if [ ! -e "$home" ]; then
      mkdir -p "$home" && chown "$uid:$gid" "$home" && chmod 700 "$home"
    fi
  done < /etc/passwd
}

var() {
  mkdir -p /var/lib /var/log /var/cache /var/tmp /var/empty /var/db
  chmod 1777 /var/tmp
  chmod 555 /var/empty
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
  [ "$(hostname)" = "$(cat /etc/hostname)" ] && return 0
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
mkdir -p /nix/var/nix/gcroots
relink /run/current-system /nix/var/nix/gcroots/current-system

exit "$_status"

#!@busybox@/bin/sh
# switch-to-configuration (installed as $toplevel/bin/switch-to-configuration): makes this
# system the running one. ACTION is switch (boot loader + activate), boot (boot loader only),
# test (activate only) or dry-activate (say what would change). When a tix init is running,
# services are compared with the running ones: removed and changed services are stopped before
# activation; changed services are started again, and new ones started, after it.
# Exit status: 0 ok, 1 usage or boot loader, 2 activation, 4 failed services, 100 reboot needed.

self=$(readlink -f "$0")
out=${self%/bin/switch-to-configuration}
PATH=@busybox@/bin
export PATH
RUNDIR=/run/tix-init/services

usage() {
  cat >&2 << EOF
Usage: $0 [switch|boot|test|dry-activate]

switch:       make the configuration the boot default and activate it now
boot:         make the configuration the boot default
test:         activate the configuration, but don't make it the boot default
dry-activate: show what would be done if this configuration were activated
EOF
  exit 1
}

[ $# -eq 1 ] || usage
action=$1
case "$action" in
  switch | boot | test | dry-activate) ;;
  *) usage ;;
esac

if [ ! -e /etc/NIXOS ] && ! grep -qE '^ID="?nixos"?$' /etc/os-release 2> /dev/null; then
  echo "This is not a NixOS installation!" >&2
  exit 1
fi

# alive PID, first_line VAR FILE
. "$out/lib/tix-helpers.sh"

# One switch at a time (a lock directory holding the owner's pid; a dead owner's lock is stale).
[ -d /run/nixos ] || mkdir -p /run/nixos
lock=/run/nixos/switch-to-configuration.lock
i=0
until mkdir "$lock" 2> /dev/null; do
  first_line owner "$lock/pid"
  if [ -n "$owner" ] && ! alive "$owner"; then
    rm -rf "$lock"
    continue
  fi
  i=$((i + 1))
  if [ "$i" -gt 600 ]; then
    echo "could not acquire lock $lock" >&2
    exit 1
  fi
  sleep 0.1
done
echo $$ > "$lock/pid"
trap 'rm -rf "$lock"' EXIT

if [ "$action" = switch ] || [ "$action" = boot ]; then
  if [ -x "$out/install-bootloader" ]; then
    "$out/install-bootloader" "$out" || {
      echo "Failed to install bootloader" >&2
      exit 1
    }
  fi
  if [ "$action" = boot ]; then
    sync
    exit 0
  fi
fi

first_line running_init /run/current-system/init-interface-version
first_line new_init "$out/init-interface-version"
if [ -e /run/current-system/init-interface-version ] && [ -e "$out/init-interface-version" ] &&
  [ "$running_init" != "$new_init" ]; then
  echo "warning: the new configuration has an init that is incompatible with the running one;" >&2
  echo "it will take effect after the system is restarted." >&2
  exit 100
fi

# The plan. Services are managed only while a tix init runs (not, e.g., in a chroot).
managed=0
first_line init_pid /run/tix-init/pid
alive "$init_pid" && managed=1
svc=$out/bin/tix-service
to_stop=
to_start=
to_restart=
new_units=
# A service counts as unchanged when its description has the same content (`tix-service
# changed`); its state then names the new description (not under dry-activate), so that the
# next switch compares with this system's copy.
if [ "$managed" = 1 ]; then
  running=" "
  for n in $("$svc" list); do
    running="$running$n "
  done
  for n in $running; do
    [ -d "$out/services/$n" ] || to_stop="$to_stop $n"
  done
  if [ -d "$out/services" ]; then
    for d in "$out"/services/*; do
      [ -d "$d" ] || continue
      n=${d##*/}
      case "$running" in
        *" $n "*)
          first_line flag "$d/restart-if-changed"
          [ "$flag" = 0 ] && continue
          if ! "$svc" changed "$n" "$d"; then
            [ "$action" = dry-activate ] || echo "$d" > "$RUNDIR/$n/dir"
            continue
          fi
          first_line flag "$d/stop-if-changed"
          if [ "$flag" = 0 ]; then
            to_restart="$to_restart $n"
          else
            to_stop="$to_stop $n"
            to_start="$to_start $n"
          fi
          ;;
        *)
          # Not running: new, or it stopped (a oneshot that finished stays finished).
          if [ -d "$RUNDIR/$n" ]; then
            first_line st "$RUNDIR/$n/state"
            if [ "$st" = exited ] && ! "$svc" changed "$n" "$d"; then
              [ "$action" = dry-activate ] || echo "$d" > "$RUNDIR/$n/dir"
              continue
            fi
            to_start="$to_start $n"
          else
            new_units="$new_units $n"
          fi
          ;;
      esac
    done
  fi
fi

units() {
  first=1
  for n in "$@"; do
    if [ "$first" = 1 ]; then first=0; else printf ', '; fi
    printf '%s.service' "$n"
  done
}

if [ "$action" = dry-activate ]; then
  # shellcheck disable=SC2086
  [ -n "$to_stop" ] && echo "would stop the following units: $(units $to_stop)" >&2
  echo "would activate the configuration..." >&2
  [ -x "$out/dry-activate" ] && "$out/dry-activate" "$out"
  # shellcheck disable=SC2086
  [ -n "$to_restart" ] && echo "would restart the following units: $(units $to_restart)" >&2
  # shellcheck disable=SC2086
  [ -n "$to_start$new_units" ] && echo "would start the following units: $(units $to_start $new_units)" >&2
  exit 0
fi

status=0
failed=
if [ -n "$to_stop" ]; then
  # shellcheck disable=SC2086
  echo "stopping the following units: $(units $to_stop)" >&2
  for n in $to_stop; do
    "$svc" stop "$n"
  done
fi

echo "activating the configuration..." >&2
"$out/activate" || status=2

if [ -n "$to_restart" ]; then
  # shellcheck disable=SC2086
  echo "restarting the following units: $(units $to_restart)" >&2
  for n in $to_restart; do
    "$svc" stop "$n"
    "$svc" start "$n" "$out/services/$n" || failed="$failed $n"
  done
fi
if [ -n "$to_start" ]; then
  # shellcheck disable=SC2086
  echo "starting the following units: $(units $to_start)" >&2
fi
# Changed and new services together, so that `after` orders them.
# shellcheck disable=SC2086
[ -n "$to_start$new_units" ] && failed="$failed $("$svc" start-some "$out" $to_start $new_units | tr '\n' ' ')"
if [ -n "$new_units" ]; then
  # shellcheck disable=SC2086
  echo "the following new units were started: $(units $new_units)" >&2
fi
failed=$(echo $failed)
if [ -n "$failed" ]; then
  # shellcheck disable=SC2086
  echo "warning: the following units failed: $(units $failed)" >&2
  [ "$status" = 0 ] && status=4
fi
exit "$status"

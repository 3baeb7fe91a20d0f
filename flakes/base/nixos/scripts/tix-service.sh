#!@busybox@/bin/sh
# tix-service: the service manager of a tix system (installed as $toplevel/bin/tix-service).
# `init` uses it to start the system's services at boot and to stop them at shutdown;
# `switch-to-configuration` uses it to stop, start and compare services. State lives in
# /run/tix-init/services/NAME/ (see src/system/README.md for the service format).
#
#   tix-service start-all TOPLEVEL     start every service of TOPLEVEL in `after` order
#   tix-service start-some TOPLEVEL NAME...
#                                      start some of them in that order; print those that failed
#   tix-service stop-all               stop every running service (in parallel)
#   tix-service start NAME DIR         start one service from its description DIR
#   tix-service stop NAME              stop one service (TERM, then KILL after stop-timeout)
#   tix-service supervise NAME DIR     (internal) run and restart the service; one per service
#   tix-service fingerprint DIR        print a hash of a service description
#   tix-service changed NAME DIR       exit 0 when DIR differs from the running service's
#                                      description (or nothing is known), 1 when it is the same
#   tix-service state NAME             print the state: starting|running|exited|failed|stopped
#   tix-service list                   print the names of services with a live supervisor
#
# Every external command costs a fork and an exec, which dominate the time a container takes
# to boot; so the frequent paths (polling, reading options and state) use shell builtins only.

PATH=@busybox@/bin
export PATH
RUNDIR=/run/tix-init/services

log() {
  echo "tix-service: $*" >&2
}

# alive PID, first_line VAR FILE
. "${0%/*}/../lib/tix-helpers.sh"

# opt VAR DIR FILE DEFAULT: sets VAR to the first line of DIR/FILE, or DEFAULT without the file.
opt() {
  if [ -f "$2/$3" ]; then
    first_line "$1" "$2/$3"
  else
    eval "$1=\$4"
  fi
}

# Seconds since boot (the clock services' restart counting needs, without running date).
now() {
  read -r _now _ < /proc/uptime
  _now=${_now%.*}
}

# A hash of a service description: names, types, modes, link targets and file contents.
fingerprint() {
  (
    cd "$1" || exit 1
    find . -exec stat -c '%n %F %a %N' {} + | sort
    find . -type f -exec sha256sum {} + | sort -k 2
  ) | sha256sum | cut -d' ' -f1
}

changed() {
  first_line old "$RUNDIR/$1/dir"
  [ -n "$old" ] || return 0
  [ "$old" = "$2" ] && return 1
  [ -d "$old" ] && [ -d "$2" ] || return 0
  [ "$(fingerprint "$old")" != "$(fingerprint "$2")" ]
}

supervisor_alive() {
  [ -f "$RUNDIR/$1/supervisor.pid" ] || return 1
  first_line _sp "$RUNDIR/$1/supervisor.pid"
  alive "$_sp"
}

# Runs the service's `run` in its own session (so its whole process group can be signalled).
launch() {
  (
    cd "$workdir" 2>/dev/null || cd /
    PATH=/run/current-system/sw/bin:/run/current-system/sw/sbin:@busybox@/bin
    HOME=/
    export PATH HOME
    if [ -f "$dir/environment" ]; then
      set -a
      . "$dir/environment"
      set +a
    fi
    if [ "$user" = root ]; then
      exec setsid "$dir/run" < /dev/null
    else
      exec setsid su -s "$dir/run" "$user" < /dev/null
    fi
  ) &
  child=$!
  echo "$child" > "$state/main.pid"
}

# Waits for the service's main process; sets rc to its exit status.
wait_child() {
  rc=0
  while :; do
    wait "$child"
    rc=$?
    alive "$child" || break
  done
}

supervise() {
  name=$1
  dir=$2
  state=$RUNDIR/$name
  [ -d "$state" ] || mkdir -p "$state"
  echo $$ > "$state/supervisor.pid"
  echo "$dir" > "$state/dir"
  if [ -e "$state/ready" ] || [ -e "$state/main.pid" ]; then rm -f "$state/ready" "$state/main.pid"; fi
  opt type "$dir" type simple
  opt restart "$dir" restart no
  opt delay "$dir" restart-delay 1
  opt user "$dir" user root
  opt workdir "$dir" working-directory /
  stopping=0
  child=
  trap 'stopping=1; [ -n "$child" ] && kill -TERM -"$child" 2>/dev/null' TERM INT
  quick_failures=0
  while :; do
    echo starting > "$state/state"
    now
    started=$_now
    launch
    if [ "$type" = oneshot ]; then
      wait_child
      if [ "$rc" -eq 0 ]; then
        echo exited > "$state/state"
        touch "$state/ready"
        exit 0
      fi
    else
      if [ -x "$dir/check" ]; then
        # Most daemons are ready within milliseconds: probe often at first, then every 0.1 s.
        pause=0.01
        until [ "$stopping" = 1 ] || "$dir/check" > /dev/null 2>&1; do
          alive "$child" || break
          sleep "$pause"
          case "$pause" in 0.01) pause=0.02 ;; 0.02) pause=0.05 ;; *) pause=0.1 ;; esac
        done
      fi
      if alive "$child"; then
        echo running > "$state/state"
        touch "$state/ready"
      fi
      wait_child
    fi
    if [ "$stopping" = 1 ]; then
      echo stopped > "$state/state"
      exit 0
    fi
    log "$name: main process exited with status $rc"
    case "$restart" in
      always) ;;
      on-failure) [ "$rc" -ne 0 ] || break ;;
      *) break ;;
    esac
    now
    if [ $((_now - started)) -lt 5 ]; then
      quick_failures=$((quick_failures + 1))
    else
      quick_failures=0
    fi
    if [ "$quick_failures" -ge 5 ]; then
      log "$name: restarting too quickly, giving up"
      break
    fi
    echo restarting > "$state/state"
    sleep "$delay"
    [ "$stopping" = 1 ] && break
  done
  if [ "$stopping" = 1 ]; then
    echo stopped > "$state/state"
  elif [ "$rc" -eq 0 ]; then
    echo exited > "$state/state"
  else
    echo failed > "$state/state"
  fi
  exit 0
}

start() {
  name=$1
  dir=$2
  if supervisor_alive "$name"; then
    return 0
  fi
  [ -e "$RUNDIR/$name" ] && rm -rf "${RUNDIR:?}/$name"
  mkdir -p "$RUNDIR/$name"
  # Output goes to the console of the running init (the container log).
  out=/dev/null
  [ -e /run/tix-init/pid ] && [ -w /proc/1/fd/1 ] && out=/proc/1/fd/1
  [ -n "$self" ] || self=$(readlink -f "$0")
  setsid "$self" supervise "$name" "$dir" < /dev/null >> "$out" 2>&1 &
  opt timeout "$dir" start-timeout 30
  # Polled every 0.02 s (builtins only but for sleep), so a service is seen ready at once.
  i=0
  while [ "$i" -lt $((timeout * 50)) ]; do
    [ -e "$RUNDIR/$name/ready" ] && return 0
    first_line st "$RUNDIR/$name/state"
    case "$st" in
      failed | stopped) return 1 ;;
      exited) [ -e "$RUNDIR/$name/ready" ] && return 0 ;;
    esac
    sleep 0.02
    i=$((i + 1))
  done
  log "$name: did not become ready within ${timeout}s"
  return 1
}

stop() {
  name=$1
  state=$RUNDIR/$name
  [ -d "$state" ] || return 0
  first_line sp "$state/supervisor.pid"
  first_line mp "$state/main.pid"
  first_line dir "$state/dir"
  opt timeout "$dir" stop-timeout 10
  if alive "$sp"; then
    kill -TERM "$sp" 2>/dev/null
    i=0
    while alive "$sp" && [ "$i" -lt $((timeout * 50)) ]; do
      sleep 0.02
      i=$((i + 1))
    done
  fi
  if alive "$sp" || alive "$mp"; then
    log "$name: did not stop within ${timeout}s, killing it"
    [ -n "$mp" ] && kill -KILL -"$mp" 2>/dev/null
    kill -KILL "$sp" 2>/dev/null
  fi
  rm -rf "${RUNDIR:?}/$name"
}

# start_some TOPLEVEL NAME...: starts the named services of TOPLEVEL, each after those of its
# `after` services that are among the names; prints the names of those that failed to start.
start_some() {
  top=$1
  shift
  names=" $* "
  done_list=" "
  pending=$*
  while [ -n "$pending" ]; do
    progress=0
    next=
    for n in $pending; do
      ready=1
      after=
      if [ -f "$top/services/$n/after" ]; then
        while IFS= read -r l || [ -n "$l" ]; do after="$after $l"; done < "$top/services/$n/after"
      fi
      for d in $after; do
        case "$names" in *" $d "*) ;; *) continue ;; esac
        case "$done_list" in *" $d "*) ;; *) ready=0 ;; esac
      done
      if [ "$ready" = 1 ]; then
        start "$n" "$top/services/$n" || echo "$n"
        done_list="$done_list$n "
        progress=1
      else
        next="$next $n"
      fi
    done
    pending=$next
    if [ "$progress" = 0 ] && [ -n "$pending" ]; then
      log "ordering cycle among:$pending; starting them anyway"
      for n in $pending; do
        start "$n" "$top/services/$n" || echo "$n"
      done
      pending=
    fi
  done
}

start_all() {
  [ -d "$1/services" ] || return 0
  names=
  for d in "$1"/services/*; do
    [ -d "$d" ] && names="$names ${d##*/}"
  done
  # shellcheck disable=SC2086
  for n in $(start_some "$1" $names); do
    log "$n: failed to start"
  done
}

list() {
  [ -d "$RUNDIR" ] || return 0
  for s in "$RUNDIR"/*; do
    [ -d "$s" ] || continue
    n=${s##*/}
    supervisor_alive "$n" && echo "$n"
  done
  return 0
}

stop_all() {
  for n in $(list); do
    stop "$n" &
  done
  wait
}

cmd=${1-}
[ $# -gt 0 ] && shift
case "$cmd" in
  start-all) start_all "$@" ;;
  start-some) start_some "$@" ;;
  stop-all) stop_all ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  supervise) supervise "$@" ;;
  fingerprint) fingerprint "$@" ;;
  changed) changed "$@" ;;
  state)
    if [ -f "$RUNDIR/$1/state" ]; then cat "$RUNDIR/$1/state"; else echo stopped; fi
    ;;
  list) list ;;
  *)
    echo "usage: tix-service start-all|start-some|stop-all|start|stop|supervise|fingerprint|changed|state|list ..." >&2
    exit 1
    ;;
esac

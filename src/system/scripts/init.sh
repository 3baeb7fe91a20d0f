#!@busybox@/bin/sh
# tix stage-2 init (installed as $toplevel/init): runs as PID 1 of a container (or of a machine
# booted into a tix system). Mounts the special file systems it finds missing, activates the
# system, starts its services with tix-service, reaps orphans, and on SIGTERM, SIGINT or
# SIGRTMIN+3 stops the services and exits 0.

self=$(readlink -f "$0")
systemConfig=${self%/*}
PATH=@busybox@/bin
export PATH
umask 022

for d in /proc /dev /run /tmp /sys; do
  [ -d "$d" ] || mkdir -p "$d"
done
[ -e /proc/self ] || mount -t proc proc /proc
# The mount points, read once with builtins (every command run costs boot time).
mounts=" "
if [ -r /proc/mounts ]; then
  while read -r _ mp _; do mounts="$mounts$mp "; done < /proc/mounts
fi
mounted() {
  case "$mounts" in *" $1 "*) return 0 ;; esac
  return 1
}
mounted /dev || [ -e /dev/null ] || mount -t devtmpfs -o mode=755,nosuid devtmpfs /dev
[ -d /dev/pts ] && [ -d /dev/shm ] || mkdir -p /dev/pts /dev/shm
mounted /dev/pts || mount -t devpts -o mode=620,ptmxmode=666,gid=5 devpts /dev/pts 2> /dev/null
mounted /dev/shm || mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mounted /run || mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run

echo "<<< tix stage 2: booting $systemConfig >>>"

"$systemConfig/activate" || echo "init: activation finished with errors"
if [ -L /run/booted-system ]; then
  ln -sfn "$systemConfig" /run/.booted-system.tmp && mv -Tf /run/.booted-system.tmp /run/booted-system
else
  ln -s "$systemConfig" /run/booted-system
fi

[ -d /run/tix-init/services ] || mkdir -p /run/tix-init/services
echo $$ > /run/tix-init/pid
echo starting > /run/tix-init/state

# A container manager that wires the network while the system activates passes a descriptor
# in TIX_READY_FD and writes a line to it when done; the services wait for that line.
case "${TIX_READY_FD-}" in
  "" | *[!0-9]*) ;;
  *)
    read -r _ <&"$TIX_READY_FD" || echo "init: the host did not finish setting up the container"
    eval "exec $TIX_READY_FD<&-"
    ;;
esac
unset TIX_READY_FD

stop_system() {
  trap '' TERM INT 37
  echo stopping > /run/tix-init/state
  echo "init: stopping services"
  "$systemConfig/bin/tix-service" stop-all
  # Whatever is left (processes started by hand, stray children) goes too.
  kill -TERM -1 2> /dev/null
  sleep 0.2
  kill -KILL -1 2> /dev/null
  echo stopped > /run/tix-init/state
  sync
  echo "init: halted"
  exit 0
}
trap stop_system TERM INT 37

# In the background, so that a signal arriving while services start is handled at once.
"$systemConfig/bin/tix-service" start-all "$systemConfig" &
wait $!
echo running > /run/tix-init/state
echo "init: startup finished"

# Waiting on a child also reaps every orphan the kernel hands to PID 1.
while :; do
  sleep 1 &
  wait $!
done

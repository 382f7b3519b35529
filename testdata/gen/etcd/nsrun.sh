#!/bin/sh
# nsrun.sh ROOT NSDIR HOSTNAME full|light "MOUNT..." -- CMD [ARG...]
# Run inside `unshare -mu` (hosts.sh node_ns): give this process the view of
# a generated host, then exec CMD (the pid stays the same).
#   full   /etc = overlay of the host's ROOT/etc over the real /etc
#   light  only ROOT/etc/hosts bound on /etc/hosts
#   MOUNT  each (/var/lib/etcd, /srv, /opt, /var/backups, /root) = bind of ROOT/MOUNT
set -e
root=$1 nsdir=$2 host=$3 mode=$4 mounts=$5
shift 5
[ "$1" = -- ] && shift
mount --make-rprivate /
if [ "$mode" = full ]; then
	mkdir -p "$nsdir/etc-work"
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$root/etc,workdir=$nsdir/etc-work" /etc
elif [ -f "$root/etc/hosts" ]; then
	mount --bind "$root/etc/hosts" /etc/hosts
fi
for mnt in $mounts; do
	mkdir -p "$root$mnt"
	mount --bind "$root$mnt" "$mnt"
done
hostname "$host"
exec "$@"

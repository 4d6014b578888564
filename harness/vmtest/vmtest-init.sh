#!/bin/busybox sh
# bpfgauge vmtest: the guest's init (PID 1) in the initramfs that 'bpfgauge vmtest' builds.
# Mounts what bpfgauge needs, loads the modules it may need, runs the suite, sends the result
# to the host on the second serial port (ttyS1) and powers off. The host reads the lines
# that start with "bpfgauge-vmtest:" on the console (ttyS0); /vmtest.conf sets BPFGAUGE,
# SUITE, ARGS, RELEASE and MODULES.
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin /root
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
say() { echo "bpfgauge-vmtest: $*"; }
off() { sync; poweroff -f; echo o > /proc/sysrq-trigger; sleep 10; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# /tmp and /run stay on the initramfs (writable already): a suite under /tmp stays visible.
mount -t cgroup2 cgroup2 /sys/fs/cgroup
. /vmtest.conf
for m in $MODULES; do
	insmod "/lib/modules/$RELEASE/$m.ko" || say "insmod $m failed"
done
hostname bpfgauge-vmtest
ip link set lo up

say "begin $SUITE"
cd /tmp
# Through a pipe: bpfgauge prints plain lines, as it does when not on a terminal.
{ "$BPFGAUGE" run "$SUITE" -o /tmp/result.json $ARGS; echo $? > /tmp/status; } 2>&1 | cat
say "end $(cat /tmp/status 2>/dev/null || echo none)"
if [ -s /tmp/result.json ]; then
	exec 3<>/dev/ttyS1
	stty raw -echo <&3
	cat /tmp/result.json >&3
	exec 3>&-
	say "sent $(wc -c < /tmp/result.json) bytes"
fi
off

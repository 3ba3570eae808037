#!/usr/bin/env bash
# A one-node Slurm cluster (munge + slurmctld + slurmd) under a folder of its own, for tests and CI.
#   local-cluster.sh start BASE   installs slurm/munge from Debian if missing (root), starts the daemons,
#                                 waits for the node, prints the SLURM_CONF path on the last line
#   local-cluster.sh stop BASE    stops the daemons (TERM, then KILL after 10 s)
# Recipe: shared/platform/slurm-single-node.md. Ports can be moved with SLURMCTLD_PORT / SLURMD_PORT.
set -euo pipefail
cmd="${1:?usage: local-cluster.sh start|stop BASE}"
BASE="$(mkdir -p "${2:?BASE folder}" && cd "$2" && pwd)"

alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:.*Z' "/proc/$1/status"; }

stop() {
  for d in slurmd slurmctld munged; do
    f="$BASE/run/$d.bgpid"; [ -f "$f" ] || continue
    pid=$(cat "$f"); kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: local-cluster.sh start|stop BASE" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing slurm and munge (Debian packages)" >&2
    apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null 2>&1
  else
    echo "error: slurm is not installed (apt-get install slurmctld slurmd slurm-client munge)" >&2; exit 1
  fi
fi
stop
H=$(hostname -s)
export SLURM_CONF="$BASE/etc/slurm.conf"
mkdir -p "$BASE"/{etc,state/ctld,state/d,log,run,munge/run,munge/lib}
chmod 755 "$BASE" "$BASE/munge"; chmod 700 "$BASE/munge/lib"
[ -f "$BASE/munge/munge.key" ] || mungekey -c -k "$BASE/munge/munge.key"
munged -F --socket="$BASE/munge/run/munge.socket.2" --key-file="$BASE/munge/munge.key" \
  --pid-file="$BASE/munge/run/munged.pid" --seed-file="$BASE/munge/lib/munged.seed" >"$BASE/log/munged.out" 2>&1 &
echo $! >"$BASE/run/munged.bgpid"
for _ in $(seq 50); do [ -S "$BASE/munge/run/munge.socket.2" ] && break; sleep 0.1; done
cat >"$SLURM_CONF" <<CONF
ClusterName=classifsae
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$BASE/munge/run/munge.socket.2
StateSaveLocation=$BASE/state/ctld
SlurmdSpoolDir=$BASE/state/d
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DependencyParameters=kill_invalid_depend
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
MinJobAge=600
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=16000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -f "$SLURM_CONF" >"$BASE/log/slurmctld.out" 2>&1 & echo $! >"$BASE/run/slurmctld.bgpid"
slurmd -D -f "$SLURM_CONF" >"$BASE/log/slurmd.out" 2>&1 & echo $! >"$BASE/run/slurmd.bgpid"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -x idle >/dev/null && { echo "$SLURM_CONF"; exit 0; }
  for d in slurmctld slurmd munged; do alive "$(cat "$BASE/run/$d.bgpid")" || { echo "error: $d exited; see $BASE/log" >&2; stop; exit 1; }; done
  sleep 0.5
done
echo "error: the Slurm node did not become idle; see $BASE/log" >&2
stop; exit 1

#!/usr/bin/env bash
# A Spark standalone cluster on this machine (issue #24): a master and two workers on
# 127.0.0.1, from the pyspark package's own jars (spark-class), Java from Debian's
# package (scripts/ensure-java.sh). The equality tests (tests/plan/test_lake_spark.py)
# and the benchmark run the plan on it:
#   doudi plan --engine spark --spark-master spark://127.0.0.1:7077 --lake PATH
#
#   scripts/spark-cluster.sh start    start it (nothing if it runs), wait for both workers
#   scripts/spark-cluster.sh stop     stop it (the processes its pid files name)
#   scripts/spark-cluster.sh status   what runs; exit 0 when both workers are registered
#
# Each worker offers 1 core and 2 GiB (a 2-core, 24 GiB machine: one executor each).
# Settings (environment): DOUDI_SPARK_CLUSTER_DIR (pid files, logs, the workers' work
# folders; default var/spark-cluster), DOUDI_SPARK_MASTER_PORT (7077),
# DOUDI_SPARK_UI_PORT (the master's page and JSON, 8080), DOUDI_SPARK_WORKER_CORES (1),
# DOUDI_SPARK_WORKER_MEMORY (2g).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${DOUDI_PYTHON:-$REPO/.venv/bin/python}"
DIR="${DOUDI_SPARK_CLUSTER_DIR:-$REPO/var/spark-cluster}"
PORT="${DOUDI_SPARK_MASTER_PORT:-7077}"
UI_PORT="${DOUDI_SPARK_UI_PORT:-8080}"
CORES="${DOUDI_SPARK_WORKER_CORES:-1}"
MEMORY="${DOUDI_SPARK_WORKER_MEMORY:-2g}"
WORKERS=(1 2)
MASTER="spark://127.0.0.1:$PORT"
STATE_URL="http://127.0.0.1:$UI_PORT/json/"

alive() { # alive NAME: the process its pid file names runs
	local pid
	[ -f "$DIR/$1.pid" ] && pid="$(cat "$DIR/$1.pid")" && kill -0 "$pid" 2>/dev/null
}

registered() { # the number of ALIVE workers the master's JSON lists (0 if it answers not)
	"$PY" - "$STATE_URL" <<-'EOF'
		import json, sys, urllib.request
		try:
		    with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
		        state = json.load(r)
		except (OSError, ValueError):
		    print(0)
		else:
		    print(sum(w.get("state") == "ALIVE" for w in state.get("workers", [])))
	EOF
}

wait_for() { # wait_for N SECONDS: until N workers are registered
	local deadline=$((SECONDS + $2))
	while [ "$(registered)" -lt "$1" ]; do
		if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
		sleep 1
	done
}

launch() { # launch NAME CLASS ARGS…: in the background, its pid and log under $DIR
	local name="$1"
	shift
	# spark-class execs java: the pid is the JVM's
	SPARK_LOCAL_IP=127.0.0.1 SPARK_HOME="$SPARK_HOME" nohup "$SPARK_HOME/bin/spark-class" "$@" \
		>"$DIR/logs/$name.log" 2>&1 </dev/null &
	echo $! >"$DIR/$name.pid"
}

stop_one() { # stop_one NAME: TERM, then KILL after 20 s; the pid file removed
	local pid
	if alive "$1"; then
		pid="$(cat "$DIR/$1.pid")"
		kill "$pid"
		for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
	fi
	rm -f "$DIR/$1.pid"
}

stop() {
	for i in "${WORKERS[@]}"; do stop_one "worker-$i"; done
	stop_one master
	echo "Spark 集群已停止 / stopped" >&2
}

start() {
	if alive master && alive worker-1 && alive worker-2 && wait_for "${#WORKERS[@]}" 30; then
		echo "Spark 集群已在运行 / already running: $MASTER" >&2
		echo "$MASTER"
		return 0
	fi
	stop 2>/dev/null # what is left of a cluster half started or half dead
	"$REPO/scripts/ensure-java.sh"
	SPARK_HOME="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
	mkdir -p "$DIR/logs"
	launch master org.apache.spark.deploy.master.Master \
		--host 127.0.0.1 --port "$PORT" --webui-port "$UI_PORT"
	for i in "${WORKERS[@]}"; do
		mkdir -p "$DIR/work-$i"
		launch "worker-$i" org.apache.spark.deploy.worker.Worker \
			--host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" \
			--webui-port "$((UI_PORT + i))" --work-dir "$DIR/work-$i" "$MASTER"
	done
	if ! wait_for "${#WORKERS[@]}" 120; then
		echo "Spark 集群未能在 120 秒内启动（日志：$DIR/logs）/ the cluster did not start" >&2
		tail -n 20 "$DIR"/logs/*.log >&2 || true
		stop
		return 1
	fi
	echo "Spark 集群已启动：1 个主节点、${#WORKERS[@]} 个工作节点（各 $CORES 核、$MEMORY）/ started" >&2
	echo "$MASTER"
}

status() {
	local name ok=0
	for name in master "${WORKERS[@]/#/worker-}"; do
		if alive "$name"; then
			echo "$name: 运行中 / running (pid $(cat "$DIR/$name.pid"))"
		else
			echo "$name: 未运行 / not running"
			ok=3
		fi
	done
	echo "已注册的工作节点 / registered workers: $(registered) ($STATE_URL)"
	[ "$(registered)" -ge "${#WORKERS[@]}" ] || ok=3
	return "$ok"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
	echo "用法 / usage: $0 start|stop|status" >&2
	exit 2
	;;
esac

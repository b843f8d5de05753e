#!/usr/bin/env bash
# The real programs that Scripts/real-programs.sh runs in make test and `swiftmalloc bench --programs` times.
#   programs.sh prepare DIR     generate the inputs every program reads into DIR (untimed; run on glibc)
#   programs.sh run NAME DIR    run program NAME on DIR's inputs; its stdout is what the glibc run is compared with
#   programs.sh names           the programs `bench --programs` times (the test suite and the C++ check are apart)
# The allocator is whatever the environment preloads (LD_PRELOAD, SWIFTMALLOC); every step is deterministic, so two
# runs print the same lines. PROGRAMS_SCALE (default 1) multiplies the sizes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3   # Debian's: the one with libpython3.11-testsuite, whatever python3 the PATH finds
scale=${PROGRAMS_SCALE:-1}
sort_lines=$((2000000 * scale))
git_files=$((2000 * scale))
sqlite_rows=$((200000 * scale))
lua_rounds=$((20 * scale))
redis_requests=$((20000 * scale))
python_tests=(test_dict test_list test_set test_unicode test_json test_re test_threading test_gc test_weakref test_bytes)

prepare() {
  local dir=$1
  mkdir -p "$dir"
  # 2 million lines of pseudo-random words and numbers (a linear congruential generator, so every run is the same).
  awk -v n="$sort_lines" 'BEGIN { x = 12345; for (i = 0; i < n; i++) { x = (x * 1103515245 + 12345) % 2147483648;
    printf "%08x line %d %s\n", x, i, substr("abcdefghijklmnopqrstuvwxyz", x % 26 + 1, x % 7 + 1) } }' > "$dir/sort.txt"
  g++ -O1 -Wall -Werror -std=c++17 "$here/operators.cpp" -o "$dir/operators"
}

run_git() {
  local dir=$1/git
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  export GIT_AUTHOR_NAME=swiftmalloc GIT_AUTHOR_EMAIL=swiftmalloc@example.invalid GIT_COMMITTER_NAME=swiftmalloc
  export GIT_COMMITTER_EMAIL=swiftmalloc@example.invalid GIT_CONFIG_NOSYSTEM=1 HOME=$dir
  export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
  git init -q -b main .
  mkdir dir{00..39}
  awk -v n="$git_files" 'BEGIN { for (i = 0; i < n; i++) { f = sprintf("dir%02d/file%05d.txt", i % 40, i); for (j = 0; j < 20 + i % 50; j++) print "file", i, "line", j, i * j > f;
    close(f) } }'
  git add -A && git commit -q -m "a generated tree"
  for i in 1 2 3; do
    awk -v n="$git_files" -v r="$i" 'BEGIN { for (i = r; i < n; i += 7) print "edit", r > sprintf("dir%02d/file%05d.txt", i % 40, i) }'
    git commit -q -a -m "edit $i"
  done
  git log --format='%H %s'
  git -c pack.threads=1 gc -q
  git count-objects -v | grep -E '^(count|in-pack|packs|garbage):'
  git fsck --no-progress --full && echo "fsck: ok"
  git ls-tree -r HEAD | wc -l
}

run_sort() { LC_ALL=C sort "$1/sort.txt" | sha256sum; LC_ALL=C sort -k3,3 -k1,1r "$1/sort.txt" | tail -3; }

run_sqlite() {
  rm -f "$1/db.sqlite"
  sqlite3 "$1/db.sqlite" <<SQL
CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER, value REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $sqlite_rows)
  INSERT INTO items SELECT i, printf('item-%08d-%s', i * 7919 % 1000003, hex(i)), i % 97, (i * 31 % 1000) / 10.0 FROM n;
CREATE INDEX items_name ON items(name);
CREATE INDEX items_grp ON items(grp, value);
SELECT count(*), sum(value), min(name), max(name) FROM items;
SELECT grp, count(*), round(avg(value), 3), group_concat(substr(name, 6, 3), '') FROM items GROUP BY grp ORDER BY grp LIMIT 5;
SELECT name FROM items WHERE name LIKE 'item-00001%' ORDER BY name LIMIT 3;
SELECT a.grp, count(*) FROM items a JOIN items b ON a.id = b.id + 1 AND a.grp = b.grp + 1 GROUP BY a.grp ORDER BY 2 DESC LIMIT 3;
UPDATE items SET name = upper(name) WHERE grp < 10;
DELETE FROM items WHERE grp > 90;
VACUUM;
SELECT count(*), sum(length(name)) FROM items;
PRAGMA integrity_check;
SQL
}

run_lua() { lua5.4 "$here/allocations.lua" "$lua_rounds"; }

# redis-server on a free loopback port (the kernel picks it), driven by a bounded redis-benchmark, then checked by
# a few SET/GET through redis-cli; redis-benchmark's figures are timings, so only its test names are printed.
run_redis() {
  local port
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no --loglevel warning \
    > "$1/redis.log" 2>&1 &
  local server=$!
  for _ in $(seq 100); do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.05; done
  redis-benchmark -h 127.0.0.1 -p "$port" -n "$redis_requests" -c 20 -q -t set,get,incr,lpush,lpop,sadd,hset,mset \
    -d 64 2>&1 | tr '\r' '\n' | sed -n 's/^\([A-Z_]*\)[^:]*: .* requests per second.*/\1 completed/p'
  for i in 1 2 3; do redis-cli -p "$port" set "key:$i" "value-$i-$(printf '%0100d' "$i")" > /dev/null; done
  for i in 1 2 3; do redis-cli -p "$port" get "key:$i"; done
  redis-cli -p "$port" dbsize
  redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || kill "$server"
  wait "$server"
}

# CPython's own regression tests; regrtest prints timings and load averages, so only its verdict lines are kept.
run_python_tests() {
  cd "$1"
  PYTHONMALLOC=malloc "$python" -m test -j4 "${python_tests[@]}" 2>&1 | grep -A1 -E '^(All [0-9]+ tests OK|Tests result:|[0-9]+ tests? failed)'
}

run_python() { PYTHONMALLOC=malloc "$python" "$here/python-workloads/$1.py"; }

run() {
  local name=$1 dir=$2
  case $name in
    git) run_git "$dir" ;;
    sort) run_sort "$dir" ;;
    sqlite3) run_sqlite "$dir" ;;
    lua) run_lua ;;
    redis) run_redis "$dir" ;;
    operators) "$dir/operators" ;;
    python-tests) run_python_tests "$dir" ;;
    python-*) run_python "${name#python-}" ;;
    *) echo "programs.sh: unknown program '$name'" >&2; return 2 ;;
  esac
}

case ${1:-} in
  prepare) prepare "$2" ;;
  run) run "$2" "$3" ;;
  names) echo redis lua sqlite3 sort git $(cd "$here/python-workloads" && ls *.py | sed 's/^/python-/; s/\.py$//') ;;
  *) echo "usage: programs.sh prepare DIR | run NAME DIR | names" >&2; exit 2 ;;
esac

# Reading wrk's output, shared by src/it/load/run-load.sh, run-session-load.sh and benchmarks/load/run-bench.sh (sourced).

# wrk prints latencies as 812.00us, 1.23ms or 1.05s; the tables use milliseconds.
to_ms()
{
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# wrk_summary FILE: "requests requests/s p50-ms p99-ms errors" of one wrk --latency run. Socket errors
# (connect/read/write/timeout) and non-2xx/3xx answers both count as errors.
wrk_summary()
{
  local out="$1"
  echo "$(awk '/requests in/ { print $1 }' "$out") $(awk '/^Requests\/sec:/ { print $2 }' "$out")" \
       "$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")") $(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")" \
       "$(awk '/Socket errors:/ { gsub(/,/, ""); s += $4 + $6 + $8 + $10 } /Non-2xx or 3xx responses:/ { s += $5 } END { print s + 0 }' "$out")"
}

# median of the numbers on stdin, one a line
median()
{
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

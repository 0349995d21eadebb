-- Prints wrk's result as one JSON line: request count, errors and latency percentiles in microseconds.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "errors": %d, "non_2xx_3xx": %d, "duration_us": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, errors, summary.errors.status, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end

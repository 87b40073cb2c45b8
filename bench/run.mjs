// `npm run bench`: the benchmark harness lands with the benchmarks issue.
console.log('no benchmarks yet');

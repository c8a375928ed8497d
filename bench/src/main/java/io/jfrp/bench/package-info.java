/**
 * JMH microbenchmarks (frames per second and bytes allocated per operation for the frame codec and the
 * stream mux: {@code java -jar bench/target/benchmarks.jar -prof gc}), and {@link io.jfrp.bench.ClientStorm},
 * the load generator of bench/run's storm section: thousands of real clients in one process.
 */
package io.jfrp.bench;

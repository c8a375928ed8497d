/**
 * JMH microbenchmarks: frames per second and bytes allocated per operation for the frame codec and
 * the stream mux. Run with {@code java -jar bench/target/benchmarks.jar -prof gc}.
 */
package io.jfrp.bench;

/**
 * The command line: jfrps, jfrpc and jfrp (demo) on picocli, logging set-up from log.*, and the
 * shaded jar's entry point. Nothing else may import this package.
 */
package io.jfrp.app;

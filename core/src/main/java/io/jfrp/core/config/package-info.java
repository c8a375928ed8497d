/**
 * Configuration: frp's v0.52+ keys in TOML, YAML or JSON, read into a tree with positions, bound
 * and validated in one pass that collects every problem, and handed out as immutable records.
 */
package io.jfrp.core.config;
